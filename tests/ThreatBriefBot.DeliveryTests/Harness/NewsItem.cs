using System.Globalization;
using System.Text;

namespace ThreatBriefBot.DeliveryTests.Harness;

/// <summary>One feed entry the test made up: about exactly one topic, with a link no other item has.</summary>
internal sealed record NewsItem(int Sequence, string Topic, string Guid, string Link, string Title, string Summary, DateTimeOffset Published);

/// <summary>
/// Writes news items that the shipped topic rules put in exactly one topic each (checked by
/// NewsWriterTests against the real classifier), with made-up names so no two read alike and no
/// country is mentioned. Links are <c>https://news.example/{run}/{feed}/{n}</c>, which <see cref="ItemLinks"/> finds
/// again in whatever a chat platform was sent.
/// </summary>
internal sealed class NewsWriter(string run, string feed, Random random)
{
    public const string Cyberattacks = "cyberattacks";
    public const string Climate = "climate";
    public const string Trade = "trade";

    public static readonly IReadOnlyList<string> Topics = [Cyberattacks, Climate, Trade];

    private static readonly string[] Syllables = ["ka", "lo", "mi", "ren", "tor", "vex", "dal", "quin", "bor", "sel", "mar", "nu", "pel", "gro", "fin", "ta", "ves", "hul", "zan", "or"];
    private static readonly string[] Kinds = ["Logistics", "Holdings", "Foods", "Textiles", "Shipping", "Hospital Group", "Water Board", "Insurance", "Machinery", "Paper Mills", "Retail", "Brewing"];
    private static readonly string[] Fillers = ["board members", "local officials", "regional managers", "the works council", "an industry panel", "outside auditors", "the supervisory committee", "staff representatives"];

    public NewsItem Write(int sequence, string topic, bool lengthy, DateTimeOffset published)
    {
        var org = Organisation();
        var other = Organisation();
        var (title, summary) = topic switch
        {
            Cyberattacks => ($"Ransomware attack disrupts {org} systems", $"{org} said a ransomware gang encrypted servers at its {Word()} site; {Fillers[random.Next(Fillers.Length)]} were told recovery would take days."),
            Climate => ($"Climate change report urges {org} to adapt", $"A climate change assessment for {org} at {Word()} calls for climate adaptation plans; {Fillers[random.Next(Fillers.Length)]} will review them."),
            Trade => ($"Trade talks between {org} and {other} resume", $"Trade negotiators for {org} and {other} met at {Word()} to discuss a trade agreement; {Fillers[random.Next(Fillers.Length)]} expect a draft soon."),
            _ => throw new ArgumentOutOfRangeException(nameof(topic), topic, "not a topic the writer knows"),
        };
        if (lengthy)
        {
            // Long enough that a digest of a dozen such items needs several messages on either platform.
            title = Lengthen(title + ", with notes from", 190);
            summary = Lengthen(summary + " The notes name", 270);
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"{feed}-{sequence}");
        return new NewsItem(sequence, topic, $"{run}-{id}", $"https://news.example/{run}/{feed}/{sequence}", title, summary, published);
    }

    private string Lengthen(string text, int length)
    {
        var builder = new StringBuilder(text);
        while (builder.Length < length)
        {
            builder.Append(' ').Append(Word());
        }

        return builder.Append('.').ToString();
    }

    private string Organisation() => $"{Name()} {Kinds[random.Next(Kinds.Length)]}";

    private string Name()
    {
        var word = Word();
        return char.ToUpperInvariant(word[0]) + word[1..];
    }

    private string Word()
    {
        var builder = new StringBuilder();
        for (var i = random.Next(3, 5); i > 0; i--)
        {
            builder.Append(Syllables[random.Next(Syllables.Length)]);
        }

        return builder.ToString();
    }
}
