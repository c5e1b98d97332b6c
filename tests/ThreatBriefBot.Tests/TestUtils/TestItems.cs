using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Items;

namespace ThreatBriefBot.Tests.TestUtils;

internal static class TestItems
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A stored item with the given topic scores (a topic applies at 0.5 and above) and countries.</summary>
    public static StoredItem Stored(string id, IReadOnlyDictionary<string, double> scores, string[]? countries = null, DateTimeOffset? published = null, string? title = null)
    {
        var topics = scores.Where(s => s.Value >= 0.5)
            .OrderByDescending(s => s.Value)
            .Select(s => new TopicMatch(s.Key, s.Value, [$"{s.Key}-term"]))
            .ToList();
        return new StoredItem(
            id,
            title ?? $"Item {id}",
            $"https://news.example/{id}",
            $"Summary of {id}.",
            published ?? Noon,
            Noon,
            ["Example Wire"],
            new ItemClassification(topics, scores, countries ?? []));
    }
}
