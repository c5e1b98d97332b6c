using ThreatBriefBot.Cli;
using ThreatBriefBot.Hosting;

namespace ThreatBriefBot.Tests.Host;

public class CliFormatTests
{
    [Theory]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("24h", 24 * 60)]
    [InlineData("30m", 30)]
    [InlineData("2w", 14 * 24 * 60)]
    [InlineData("1.00:00:00", 24 * 60)]
    public void TryParseWindow_CommonForms_Parsed(string text, int minutes)
    {
        Assert.True(CliFormat.TryParseWindow(text, out var window));
        Assert.Equal(TimeSpan.FromMinutes(minutes), window);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-3d")]
    [InlineData("0d")]
    [InlineData("d")]
    public void TryParseWindow_Nonsense_Refused(string text) => Assert.False(CliFormat.TryParseWindow(text, out _));

    [Fact]
    public void Date_AnyOffset_PrintedAsUtcSeconds() =>
        Assert.Equal("2026-11-24T00:30:00Z", CliFormat.Date(new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.FromHours(9))));

    [Theory]
    [InlineData("0 */15 * * * ?", true)]
    [InlineData("0/30 * * * * ?", true)]
    [InlineData("0 0 25 * * ?", false)]
    [InlineData("*/15 * * * *", false)]
    [InlineData("", false)]
    public void CronCheck_Expression_ValidOrReasonGiven(string cron, bool valid) =>
        Assert.Equal(valid, CronCheck.Problem(cron) is null);
}
