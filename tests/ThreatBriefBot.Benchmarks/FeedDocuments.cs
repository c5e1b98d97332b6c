using System.Globalization;
using System.Text;

namespace ThreatBriefBot.Benchmarks;

/// <summary>
/// The benchmark's feeds, the same on every run: RSS 2.0 documents of <c>items</c> entries with distinct guids,
/// links and titles per feed, ~600-byte HTML descriptions of varied words (so near-duplicate detection finds no
/// false matches) and, in most entries, a topic phrase and a country, so the classifier has real work.
/// </summary>
internal static class FeedDocuments
{
    private static readonly DateTimeOffset Epoch = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] Words =
    [
        "officials", "said", "on", "monday", "that", "the", "government", "would", "review", "its", "plans", "after",
        "a", "week", "of", "talks", "with", "regional", "partners", "analysts", "expect", "further", "changes", "in",
        "coming", "months", "as", "markets", "react", "to", "new", "figures", "released", "by", "agency", "report",
        "shows", "growth", "slowed", "while", "prices", "rose", "sharply", "across", "several", "sectors", "industry",
        "groups", "warned", "costs", "could", "climb", "again", "next", "year", "ministers", "met", "capital", "discuss",
        "response", "measures", "including", "support", "for", "small", "businesses", "and", "households", "critics",
        "argue", "package", "falls", "short", "local", "leaders", "called", "faster", "action", "investors", "watched",
        "closely", "central", "bank", "signalled", "rates", "may", "stay", "high", "longer", "than", "expected",
        "company", "announced", "quarterly", "results", "beat", "forecasts", "shares", "gained", "early", "trading",
        "union", "representatives", "rejected", "offer", "strike", "continues", "ports", "railways", "airports",
        "hospitals", "schools", "faced", "delays", "residents", "described", "scenes", "confusion", "police",
        "opened", "investigation", "into", "incident", "late", "tuesday", "evening", "witnesses", "reported",
        "hearing", "loud", "noises", "before", "power", "cut", "out", "engineers", "restored", "service", "hours",
        "later", "statement", "spokesperson", "confirmed", "details", "remain", "unclear", "parliament", "debated",
        "bill", "wednesday", "vote", "expected", "friday", "opposition", "parties", "demanded", "amendments",
        "budget", "deficit", "widened", "exports", "imports", "currency", "weakened", "against", "dollar", "euro",
        "survey", "found", "most", "respondents", "worried", "about", "future", "jobs", "wages", "housing", "energy",
        "supply", "chain", "shortages", "eased", "factories", "resumed", "production", "farmers", "harvest",
        "drought", "floods", "storm", "damaged", "roads", "bridges", "emergency", "crews", "worked", "through",
        "night", "clear", "debris", "volunteers", "helped", "distribute", "food", "water", "shelter", "families",
        "displaced", "officials", "estimated", "damage", "millions", "insurance", "claims", "rising", "steadily",
    ];

    private static readonly string[] TopicPhrases =
    [
        "a ransomware attack", "a data breach", "a cyberattack on", "hackers linked to", "a malware campaign",
        "climate change", "carbon emissions", "the climate summit", "global warming", "renewable energy targets",
        "the trade war", "new tariffs on", "a trade deal with", "export controls", "the trade talks",
    ];

    private static readonly string[] Countries =
        ["Japan", "Germany", "Brazil", "Kenya", "India", "Canada", "France", "Australia", "Mexico", "South Korea"];

    public static string PathOf(int feed) => string.Create(CultureInfo.InvariantCulture, $"/feeds/{feed}.xml");

    public static string NameOf(int feed) => string.Create(CultureInfo.InvariantCulture, $"bench-{feed:D6}");

    /// <summary>The feed's number from its path, or null for any other path.</summary>
    public static int? FeedOf(string path) =>
        path.StartsWith("/feeds/", StringComparison.Ordinal) && path.EndsWith(".xml", StringComparison.Ordinal)
        && int.TryParse(path.AsSpan(7, path.Length - 11), NumberStyles.None, CultureInfo.InvariantCulture, out var feed)
            ? feed
            : null;

    /// <summary>
    /// Whether the feed gets new validators at each generation (and so answers 200 with the same items), rather
    /// than 304. Spread evenly: exactly round(count × (1 − share)) feeds of any prefix of the numbers change.
    /// </summary>
    public static bool Changes(int feed, double notModifiedShare)
    {
        var share = 1 - notModifiedShare;
        return Math.Floor((feed + 1) * share + 1e-9) > Math.Floor(feed * share + 1e-9);
    }

    public static string ETagOf(int feed, int generation, bool changes) =>
        changes
            ? string.Create(CultureInfo.InvariantCulture, $"\"f{feed}-g{generation}\"")
            : string.Create(CultureInfo.InvariantCulture, $"\"f{feed}\"");

    public static DateTimeOffset LastModifiedOf(int feed, int generation, bool changes) =>
        Epoch.AddSeconds(feed).AddHours(changes ? generation : 0);

    /// <summary>The document: the same entries whatever the generation.</summary>
    public static byte[] Render(int feed, int items, DateTimeOffset lastModified)
    {
        var random = new SplitMix64((ulong)feed);
        var xml = new StringBuilder(1024 + (items * 1100));
        var publisher = string.Create(CultureInfo.InvariantCulture, $"https://news{feed % 997}.example.org");
        xml.Append("""<?xml version="1.0" encoding="utf-8"?>""").Append('\n')
            .Append("""<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>""").Append('\n')
            .Append(CultureInfo.InvariantCulture, $"<title>Bench Wire {feed}</title>\n")
            .Append(CultureInfo.InvariantCulture, $"<link>{publisher}/desk/{feed}/</link>\n")
            .Append(CultureInfo.InvariantCulture, $"<description>Regional news desk number {feed}.</description>\n")
            .Append("<language>en-gb</language>\n")
            .Append(CultureInfo.InvariantCulture, $"<lastBuildDate>{lastModified:R}</lastBuildDate>\n");
        for (var item = 0; item < items; item++)
        {
            var link = string.Create(CultureInfo.InvariantCulture, $"{publisher}/{feed}/2025/06/{item:D3}-story.html");
            xml.Append("<item>\n")
                .Append("<title>").Append(Sentence(ref random, 6 + random.Next(5), withTopic: random.Next(3) == 0)).Append("</title>\n")
                .Append("<link>").Append(link).Append("</link>\n")
                .Append(CultureInfo.InvariantCulture, $"<guid isPermaLink=\"false\">urn:bench:{feed}:{item}</guid>\n")
                .Append(CultureInfo.InvariantCulture, $"<pubDate>{Epoch.AddMinutes(-(feed % 1440) - (item * 37)):R}</pubDate>\n")
                .Append("<category>World</category>\n")
                .Append("<description><![CDATA[<p>");
            var paragraph = new StringBuilder(700);
            while (paragraph.Length < 560)
            {
                paragraph.Append(Sentence(ref random, 8 + random.Next(8), withTopic: random.Next(4) == 0)).Append(". ");
                if (paragraph.Length is > 250 and < 350)
                {
                    paragraph.Append("</p><p>");
                }
            }

            xml.Append(paragraph).Append("</p>]]></description>\n</item>\n");
        }

        xml.Append("</channel></rss>\n");
        return Encoding.UTF8.GetBytes(xml.ToString());
    }

    private static string Sentence(ref SplitMix64 random, int words, bool withTopic)
    {
        var sentence = new StringBuilder(words * 8);
        var topicAt = withTopic ? random.Next(words) : -1;
        for (var i = 0; i < words; i++)
        {
            if (i > 0)
            {
                sentence.Append(' ');
            }

            sentence.Append(i == topicAt
                ? TopicPhrases[random.Next(TopicPhrases.Length)] + " " + Countries[random.Next(Countries.Length)]
                : Words[random.Next(Words.Length)]);
        }

        sentence[0] = char.ToUpperInvariant(sentence[0]);
        return sentence.ToString();
    }

    /// <summary>
    /// A small seeded generator (SplitMix64), so every run and every process serves the same documents. The seed is
    /// scrambled first: seeds n and n + 1 would otherwise give the same stream shifted by one step.
    /// </summary>
    private struct SplitMix64(ulong seed)
    {
        private const ulong Gamma = 0x9E3779B97F4A7C15UL;
        private ulong _state = Mix(seed ^ 0x5DEECE66DUL);

        public int Next(int bound)
        {
            _state += Gamma;
            return (int)(Mix(_state) % (ulong)bound);
        }

        private static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
