using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Items;

namespace ThreatBriefBot.Storage;

internal sealed class DeduplicationOptionsValidator : IValidateOptions<DeduplicationOptions>
{
    internal static readonly TimeSpan MaxWindow = TimeSpan.FromDays(30);

    public ValidateOptionsResult Validate(string? name, DeduplicationOptions options)
    {
        List<string>? failures = null;
        const string Section = DeduplicationOptions.SectionName;

        if (options.NearDuplicateMaxDistance is < 0 or > StoryFingerprint.MaxSearchableDistance)
        {
            (failures ??= []).Add(
                $"{Section}:{nameof(DeduplicationOptions.NearDuplicateMaxDistance)} must be 0..{StoryFingerprint.MaxSearchableDistance} "
                + $"(bits of 64 that may differ; the fingerprint index finds every candidate up to {StoryFingerprint.MaxSearchableDistance}); "
                + $"was {options.NearDuplicateMaxDistance}.");
        }

        if (options.NearDuplicateWindow <= TimeSpan.Zero || options.NearDuplicateWindow > MaxWindow)
        {
            (failures ??= []).Add(
                $"{Section}:{nameof(DeduplicationOptions.NearDuplicateWindow)} must be more than 0 and at most {MaxWindow.TotalDays} days; "
                + $"was {options.NearDuplicateWindow}.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
