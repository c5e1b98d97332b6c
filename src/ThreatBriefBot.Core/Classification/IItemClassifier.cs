namespace ThreatBriefBot.Core.Classification;

/// <summary>Classifies an item by topic and by the countries it is about. Pure and thread-safe.</summary>
public interface IItemClassifier
{
    /// <summary>The configured topic names, in configuration order.</summary>
    IReadOnlyList<string> TopicNames { get; }

    /// <summary>The configured topics, in configuration order: names, descriptions, thresholds, synonyms.</summary>
    IReadOnlyList<TopicDefinition> Topics { get; }

    ItemClassification Classify(string title, string text);
}

/// <summary>Resolves what a person typed ("japan", "JP", "japanese", "tokyo") to countries.</summary>
public interface ICountryResolver
{
    /// <summary>The ISO alpha-2 code the phrase names, or null.</summary>
    string? ResolveCountry(string phrase);

    /// <summary>The countries of a region the phrase names ("east asia", "europe"), or null.</summary>
    IReadOnlyList<string>? ResolveRegion(string phrase);

    /// <summary>The common English names of every known country, for suggestions.</summary>
    IReadOnlyList<string> CountryNames { get; }

    /// <summary>The common English name of a country code, or the code itself when unknown.</summary>
    string NameOf(string countryCode);
}
