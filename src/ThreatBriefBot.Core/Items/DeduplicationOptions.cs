namespace ThreatBriefBot.Core.Items;

/// <summary>
/// The "Deduplication" section: when two stories from different feeds, with different links, are stored as one
/// because their texts are near-duplicates. Entries and links are always de-duplicated, whatever this says.
/// </summary>
public sealed class DeduplicationOptions
{
    public const string SectionName = "Deduplication";

    /// <summary>Whether near-duplicate text joins stories; when false only the entry and the link do.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The most bits, of 64, by which two <see cref="StoryFingerprint"/>s may differ for their stories to be one;
    /// at most <see cref="StoryFingerprint.MaxSearchableDistance"/>.
    /// </summary>
    public int NearDuplicateMaxDistance { get; set; } = 3;

    /// <summary>Only stories first stored within this time before an item are candidates for it.</summary>
    public TimeSpan NearDuplicateWindow { get; set; } = TimeSpan.FromDays(3);
}
