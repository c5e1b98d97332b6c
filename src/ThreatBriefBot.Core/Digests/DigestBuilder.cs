using ThreatBriefBot.Core.Items;

namespace ThreatBriefBot.Core.Digests;

/// <summary>What to put in a digest.</summary>
/// <param name="Topics">Sections, in this order. Items outside these topics are left out.</param>
/// <param name="Countries">When not empty, only items about one of these countries.</param>
/// <param name="MaxItemsPerTopic">Items shown per section; the rest are counted as "and K more".</param>
/// <param name="OtherSection">When set, items with none of <paramref name="Topics"/> go to a last section of this name.</param>
public sealed record DigestRequest(
    string Title,
    DateTimeOffset Since,
    DateTimeOffset Until,
    IReadOnlyList<string> Topics,
    IReadOnlyList<string> Countries,
    int MaxItemsPerTopic,
    string? OtherSection = null);

/// <summary>Groups items by topic, best first. Pure: the caller selects the items, this only arranges them.</summary>
public static class DigestBuilder
{
    public static Digest Build(DigestRequest request, IEnumerable<StoredItem> items)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxItemsPerTopic, 1);

        var candidates = items
            .Where(i => request.Countries.Count == 0 || i.Classification.Countries.Any(request.Countries.Contains))
            .ToList();

        var sections = new List<DigestSection>(request.Topics.Count + 1);
        foreach (var topic in request.Topics)
        {
            AddSection(sections, topic, candidates.Where(i => i.Classification.HasTopic(topic)), i => i.Classification.ScoreOf(topic), request.MaxItemsPerTopic);
        }

        if (request.OtherSection is { } other)
        {
            AddSection(sections, other, candidates.Where(i => !request.Topics.Any(i.Classification.HasTopic)), _ => 0, request.MaxItemsPerTopic);
        }

        var ids = sections.SelectMany(s => s.Items.Select(e => e.Item.Id)).ToHashSet(StringComparer.Ordinal);
        var counted = candidates
            .Where(i => request.Topics.Any(i.Classification.HasTopic) || request.OtherSection is not null)
            .Select(i => i.Id);
        return new Digest(request.Title, request.Since, request.Until, sections)
        {
            ItemIds = [.. ids.Union(counted, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
    }

    private static void AddSection(List<DigestSection> sections, string topic, IEnumerable<StoredItem> matching, Func<StoredItem, double> score, int max)
    {
        // Best first: the topic's score, then the newest, then the id so equal items keep a stable order.
        var ranked = matching
            .OrderByDescending(score)
            .ThenByDescending(i => i.Published ?? i.SeenAt)
            .ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList();
        if (ranked.Count > 0)
        {
            sections.Add(new DigestSection(topic, [.. ranked.Take(max).Select(i => new DigestEntry(i, score(i)))], Math.Max(0, ranked.Count - max)));
        }
    }
}
