using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Core.Items;

/// <summary>A stored story: one item, possibly reported by several feeds.</summary>
/// <param name="Id">Stable identity of the story (see <see cref="ItemIdentity.StoryId"/>).</param>
/// <param name="SeenAt">When this bot first stored it; digests and briefs select by it, so a late-dated item is never missed.</param>
/// <param name="Sources">The names of the feeds that carried it, first one first.</param>
public sealed record StoredItem(
    string Id,
    string Title,
    string? Link,
    string Summary,
    DateTimeOffset? Published,
    DateTimeOffset SeenAt,
    IReadOnlyList<string> Sources,
    ItemClassification Classification);
