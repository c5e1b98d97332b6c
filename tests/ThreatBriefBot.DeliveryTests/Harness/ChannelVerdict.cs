using System.Globalization;

namespace ThreatBriefBot.DeliveryTests.Harness;

/// <summary>What one channel should have got (every served item its subscription asks for) against what it got.</summary>
internal sealed record ChannelVerdict(
    string Name,
    int Expected,
    int Messages,
    IReadOnlyList<string> Lost,
    IReadOnlyDictionary<string, int> Duplicated,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> PartProblems,
    int Hidden)
{
    /// <summary>Extra copies: an item posted three times counts two.</summary>
    public int ExtraCopies => Duplicated.Values.Sum(n => n - 1);

    public bool ExactlyOnce => Lost.Count == 0 && Duplicated.Count == 0 && Unexpected.Count == 0;

    public static ChannelVerdict Of(string name, IEnumerable<string> expectedLinks, Transcript transcript)
    {
        var expected = expectedLinks.ToHashSet(StringComparer.Ordinal);
        var messages = transcript.Read();
        var counts = messages.SelectMany(m => m.Links).GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new ChannelVerdict(
            name,
            expected.Count,
            messages.Count,
            [.. expected.Where(l => !counts.ContainsKey(l)).Order(StringComparer.Ordinal)],
            counts.Where(c => c.Value > 1).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal),
            [.. counts.Keys.Where(l => !expected.Contains(l)).Order(StringComparer.Ordinal)],
            transcript.PartProblems(messages),
            messages.Sum(m => m.Hidden));
    }

    public string Figures() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name,-16} items {Expected,5}  messages {Messages,4}  lost {Lost.Count,4}  duplicated {Duplicated.Count,4} ({ExtraCopies} extra copies)  unexpected {Unexpected.Count,3}  part problems {PartProblems.Count,3}  (said hidden: {Hidden})");

    /// <summary>The first few of each kind of failure, for the assertion message.</summary>
    public string Details()
    {
        static string Few(IEnumerable<string> list) => string.Join(", ", list.Take(5));
        return $"{Name}: lost [{Few(Lost)}] duplicated [{Few(Duplicated.Select(d => $"{d.Key} x{d.Value}"))}] unexpected [{Few(Unexpected)}] parts [{Few(PartProblems)}]";
    }
}
