using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ThreatBriefBot.Core.Classification;

/// <summary>
/// The classification rules, parsed and compiled once from seeds/topics.json and
/// seeds/countries.json. Immutable and safe to share between threads.
/// </summary>
public sealed class ClassificationRules
{
    private const int SupportedVersion = 1;

    private ClassificationRules(TopicRules topics, CountryRules countries)
    {
        Topics = topics;
        Countries = countries;
    }

    /// <summary>The topics in configuration order, with their descriptions (the <c>topics</c> chat command).</summary>
    public IReadOnlyList<TopicDefinition> TopicDefinitions => Topics.Definitions;

    internal TopicRules Topics { get; }

    internal CountryRules Countries { get; }

    /// <summary>Parses and compiles both rules documents; the host opens the files.</summary>
    /// <exception cref="ClassificationRulesException">A document is not valid JSON or breaks a rule; the message says which file and where.</exception>
    public static ClassificationRules Parse(Stream topicsJson, Stream countriesJson)
    {
        ArgumentNullException.ThrowIfNull(topicsJson);
        ArgumentNullException.ThrowIfNull(countriesJson);
        var topics = Read(topicsJson, RulesJsonContext.Default.TopicsDocument, "topics file");
        var countries = Read(countriesJson, RulesJsonContext.Default.CountriesDocument, "countries file");
        CheckVersion(topics.Version, "topics file");
        CheckVersion(countries.Version, "countries file");
        return new ClassificationRules(TopicRules.Compile(topics), CountryRules.Compile(countries));
    }

    /// <inheritdoc cref="Parse(Stream, Stream)"/>
    public static ClassificationRules Parse(string topicsJson, string countriesJson)
    {
        ArgumentNullException.ThrowIfNull(topicsJson);
        ArgumentNullException.ThrowIfNull(countriesJson);
        using var topics = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(topicsJson));
        using var countries = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(countriesJson));
        return Parse(topics, countries);
    }

    /// <summary>The same rules with some topics' thresholds replaced (configuration overriding the topics file).</summary>
    /// <exception cref="ClassificationRulesException">A name is not a configured topic, or a value is outside (0, 1].</exception>
    public ClassificationRules WithThresholds(IReadOnlyDictionary<string, double> thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        return thresholds.Count == 0 ? this : new ClassificationRules(Topics.WithThresholds(thresholds), Countries);
    }

    private static T Read<T>(Stream json, JsonTypeInfo<T> typeInfo, string file)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo)
                ?? throw new ClassificationRulesException($"{file}: the document is null");
        }
        catch (JsonException ex)
        {
            // The serializer's message already names the JSON path, line and position.
            throw new ClassificationRulesException($"{file}: not a valid rules document: {ex.Message}", ex);
        }
    }

    private static void CheckVersion(int version, string file)
    {
        if (version != SupportedVersion)
        {
            throw new ClassificationRulesException($"{file}: 'version' must be {SupportedVersion}, got {version}");
        }
    }
}
