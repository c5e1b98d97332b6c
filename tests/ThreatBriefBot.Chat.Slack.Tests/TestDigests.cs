using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Items;

namespace ThreatBriefBot.Chat.Slack.Tests;

/// <summary>Digests for the renderer and adapter tests.</summary>
internal static class TestDigests
{
    public static readonly DateTimeOffset Until = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    public static StoredItem Item(
        string id,
        string title,
        string? link = null,
        string summary = "A short summary.",
        IReadOnlyList<string>? sources = null,
        IReadOnlyList<string>? countries = null) =>
        new(
            id,
            title,
            link ?? $"https://news.example/{id}",
            summary,
            Until.AddHours(-2),
            Until.AddHours(-1),
            sources ?? ["Loopback Wire"],
            new ItemClassification([], new Dictionary<string, double>(StringComparer.Ordinal), countries ?? ["JP"]));

    public static Digest Of(string title, params DigestSection[] sections) =>
        new(title, Until.AddDays(-1), Until, sections)
        {
            ItemIds = [.. sections.SelectMany(s => s.Items).Select(e => e.Item.Id).Distinct(StringComparer.Ordinal)],
        };

    public static DigestSection Section(string topic, params StoredItem[] items) =>
        new(topic, [.. items.Select(i => new DigestEntry(i, 0.9))], More: 0);

    /// <summary><paramref name="topics"/> topics of <paramref name="perTopic"/> items each, titled "t{topic}-i{item}".</summary>
    public static Digest Large(int topics, int perTopic, string title = "Digest large") =>
        Of(title, [.. Enumerable.Range(1, topics).Select(t => Section(
            $"topic{t}",
            [.. Enumerable.Range(1, perTopic).Select(i => Item($"t{t}-i{i}", $"Item t{t}-i{i} about ransomware"))]))]);
}
