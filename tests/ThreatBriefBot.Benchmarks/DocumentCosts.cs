using System.Diagnostics;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Feeds;

namespace ThreatBriefBot.Benchmarks;

/// <summary>
/// The CPU a feed document costs in the stages the poller runs inside itself (parse, map) and in classification,
/// measured on one thread over sample documents with nothing else running, and scaled to the cycles' feed counts.
/// </summary>
internal sealed class DocumentCosts(FeedParser parser, IItemClassifier classifier, int items)
{
    private readonly List<(string Stage, TimeSpan PerDocument)> _stages = [];
    private int _cold;
    private int _warm;

    public DocumentCosts Measure(int samples, int coldDocuments, int warmDocuments)
    {
        (_cold, _warm) = (coldDocuments, warmDocuments);
        var documents = Enumerable.Range(0, samples)
            .Select(f => FeedDocuments.Render(f, items, FeedDocuments.LastModifiedOf(f, 1, changes: false)))
            .ToList();
        _ = Run(documents.Take(10).ToList()); // warm-up: JIT and caches
        _stages.AddRange(Run(documents));
        return this;
    }

    private List<(string Stage, TimeSpan PerDocument)> Run(List<byte[]> documents)
    {
        TimeSpan parse = default, map = default, identity = default, classify = default;
        foreach (var document in documents)
        {
            var started = Stopwatch.GetTimestamp();
            var parsed = parser.Parse(document, "application/rss+xml; charset=utf-8", new Uri("http://127.0.0.1/feeds/0.xml"));
            parse += Stopwatch.GetElapsedTime(started);

            started = Stopwatch.GetTimestamp();
            var incoming = FeedItemMapper.ToIncomingItems("bench", parsed);
            map += Stopwatch.GetElapsedTime(started);

            started = Stopwatch.GetTimestamp();
            foreach (var item in incoming)
            {
                _ = item.StoryKey;
                _ = item.Fingerprint;
            }

            identity += Stopwatch.GetElapsedTime(started);

            started = Stopwatch.GetTimestamp();
            foreach (var item in incoming)
            {
                _ = classifier.Classify(item.Title, item.Summary);
            }

            classify += Stopwatch.GetElapsedTime(started);
        }

        return
        [
            ("parse (FeedParser.Parse)", parse / documents.Count),
            ("map to items (plain text, entry keys)", map / documents.Count),
            ("story key + SimHash fingerprint", identity / documents.Count),
            ("classify every item", classify / documents.Count),
        ];
    }

    public void Print(TextWriter output)
    {
        output.Line(
            $"cpu per feed document of {items} items, one thread, measured apart from the cycles (scaled to cycle 1's {_cold} and cycle 2's {_warm} documents)");
        foreach (var (stage, perDocument) in _stages)
        {
            output.Line(
                $"    {stage,-42} {perDocument.TotalMilliseconds,8:0.000} ms  -> cycle 1 {(perDocument * _cold).TotalSeconds,6:0.0} s, cycle 2 {(perDocument * _warm).TotalSeconds,6:0.0} s");
        }
    }
}
