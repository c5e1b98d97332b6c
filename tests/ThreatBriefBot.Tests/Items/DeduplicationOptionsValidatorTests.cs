using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Storage;

namespace ThreatBriefBot.Tests.Items;

public class DeduplicationOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeeds() =>
        Assert.True(new DeduplicationOptionsValidator().Validate(null, new DeduplicationOptions()).Succeeded);

    [Theory]
    [InlineData(-1, "1.00:00:00", "Deduplication:NearDuplicateMaxDistance")]
    [InlineData(8, "1.00:00:00", "Deduplication:NearDuplicateMaxDistance")]
    [InlineData(3, "00:00:00", "Deduplication:NearDuplicateWindow")]
    [InlineData(3, "31.00:00:00", "Deduplication:NearDuplicateWindow")]
    public void Validate_OutOfRange_FailsNamingTheKey(int maxDistance, string window, string key)
    {
        var result = new DeduplicationOptionsValidator().Validate(
            null, new DeduplicationOptions { NearDuplicateMaxDistance = maxDistance, NearDuplicateWindow = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }
}
