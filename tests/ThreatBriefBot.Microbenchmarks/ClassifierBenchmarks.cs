using BenchmarkDotNet.Attributes;
using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Microbenchmarks;

/// <summary><see cref="KeywordItemClassifier.Classify"/> alone, with the shipped rules, per item size and kind.</summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    private KeywordItemClassifier _classifier = null!;
    private string _title = "";
    private string _text = "";

    public static IEnumerable<string> ItemNames => SampleItems.All.Keys;

    /// <summary>Which sample: its size, and + for an item about a topic, - for a hard negative.</summary>
    [ParamsSource(nameof(ItemNames))]
    public string Item { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _classifier = new KeywordItemClassifier(Seeds.LoadRules());
        (_title, _text) = SampleItems.All[Item];
    }

    [Benchmark]
    public ItemClassification Classify() => _classifier.Classify(_title, _text);
}
