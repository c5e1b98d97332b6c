using ThreatBriefBot.Core.Items;

namespace ThreatBriefBot.Core.Digests;

/// <summary>A digest: items grouped by topic, best first, at most N per topic with a count of the rest.</summary>
/// <param name="Title">What the digest is, e.g. "Morning brief" or "Brief: Japan".</param>
/// <param name="Since">The start of the window the items were selected from.</param>
/// <param name="Until">The end of that window.</param>
public sealed record Digest(string Title, DateTimeOffset Since, DateTimeOffset Until, IReadOnlyList<DigestSection> Sections)
{
    public bool IsEmpty => Sections.Count == 0;

    /// <summary>Every distinct item in the digest, shown or counted as more.</summary>
    public IReadOnlyList<string> ItemIds { get; init; } = [];
}

/// <summary>One topic's items. <paramref name="More"/> counts the matching items not shown.</summary>
public sealed record DigestSection(string Topic, IReadOnlyList<DigestEntry> Items, int More);

/// <summary>An item shown in a section, with its score for that section's topic.</summary>
public sealed record DigestEntry(StoredItem Item, double Score);
