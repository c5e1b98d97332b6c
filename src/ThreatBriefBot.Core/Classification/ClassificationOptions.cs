namespace ThreatBriefBot.Core.Classification;

/// <summary>Where the host finds the classification rules; paths are relative to the content root.</summary>
public sealed class ClassificationOptions
{
    public const string SectionName = "Classification";

    public string TopicsFile { get; set; } = "seeds/topics.json";

    public string CountriesFile { get; set; } = "seeds/countries.json";

    /// <summary>
    /// Per-topic thresholds that override the topics file (<c>Classification:Thresholds:cyberattacks</c>),
    /// so ops can make one topic stricter without editing the rules; apply with <see cref="ClassificationRules.WithThresholds"/>.
    /// </summary>
    public Dictionary<string, double> Thresholds { get; } = new(StringComparer.Ordinal);
}
