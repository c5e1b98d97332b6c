namespace ThreatBriefBot.Core.Classification;

/// <summary>Where the host finds the classification rules; paths are relative to the content root.</summary>
public sealed class ClassificationOptions
{
    public const string SectionName = "Classification";

    public string TopicsFile { get; set; } = "seeds/topics.json";

    public string CountriesFile { get; set; } = "seeds/countries.json";
}
