using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Items;

namespace ThreatBriefBot.Chat.Discord.Tests;

/// <summary>Digests built in memory, as Core's DigestBuilder would make them.</summary>
internal static class TestDigests
{
    public static readonly DateTimeOffset Since = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Until = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    public static StoredItem Item(string id, string title, string? link = null, params string[] countries) => new(
        id,
        title,
        link ?? $"https://news.example/{id}",
        "A summary.",
        Until.AddHours(-2),
        Until.AddHours(-1),
        ["Asia Security Wire", "Global Briefing"],
        new ItemClassification([], new Dictionary<string, double>(StringComparer.Ordinal), countries));

    public static Digest Of(params (string Topic, StoredItem[] Items, int More)[] sections) => new(
        "Digest sub-test",
        Since,
        Until,
        [.. sections.Select(s => new DigestSection(s.Topic, [.. s.Items.Select(i => new DigestEntry(i, 0.9))], s.More))])
    {
        ItemIds = [.. sections.SelectMany(s => s.Items).Select(i => i.Id)],
    };

    /// <summary>A digest of <paramref name="topics"/> sections with <paramref name="perTopic"/> long-titled items each.</summary>
    public static Digest Large(int topics, int perTopic, int titleLength = 180) => Of([.. Enumerable.Range(0, topics).Select(t => (
        $"topic{t}",
        Enumerable.Range(0, perTopic).Select(i => Item($"t{t}-i{i}", $"Item {t}/{i} " + new string('x', titleLength), null, "JP", "US")).ToArray(),
        0))]);
}
