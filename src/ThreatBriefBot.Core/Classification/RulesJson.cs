using System.Text.Json.Serialization;

namespace ThreatBriefBot.Core.Classification;

// The on-disk shapes of seeds/topics.json and seeds/countries.json. Everything is nullable so that
// ClassificationRules can say which field is missing instead of a generic "required property" error.

internal sealed class TopicsDocument
{
    public int Version { get; init; }

    public string? About { get; init; }

    public ScoringDocument? Scoring { get; init; }

    public List<TopicDocument>? Topics { get; init; }
}

internal sealed class ScoringDocument
{
    public string? About { get; init; }

    public double? TitleFactor { get; init; }

    public double? RepeatBonus { get; init; }

    public int? MaxRepeats { get; init; }

    public double? Saturation { get; init; }

    public int? MaxEvidence { get; init; }
}

internal sealed class TopicDocument
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public double? Threshold { get; init; }

    public List<string>? Aliases { get; init; }

    public List<TermGroupDocument>? Terms { get; init; }

    public List<string>? Exclude { get; init; }
}

internal sealed class TermGroupDocument
{
    public string? About { get; init; }

    public double? Weight { get; init; }

    public bool RequiresContext { get; init; }

    public List<string>? Phrases { get; init; }
}

internal sealed class CountriesDocument
{
    public int Version { get; init; }

    public string? About { get; init; }

    public Dictionary<string, double>? Weights { get; init; }

    public List<string>? ComparisonSuffixes { get; init; }

    public List<string>? NotCountries { get; init; }

    public List<CountryDocument>? Countries { get; init; }

    public List<RegionDocument>? Regions { get; init; }
}

internal sealed class CountryDocument
{
    public string? Code { get; init; }

    public string? Name { get; init; }

    public List<string>? Aliases { get; init; }

    public List<string>? Demonyms { get; init; }

    public string? Capital { get; init; }

    public List<string>? Metonyms { get; init; }

    public List<string>? Places { get; init; }

    public List<string>? Ambiguous { get; init; }
}

internal sealed class RegionDocument
{
    public string? Name { get; init; }

    public List<string>? Aliases { get; init; }

    public List<string>? Members { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowTrailingCommas = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(TopicsDocument))]
[JsonSerializable(typeof(CountriesDocument))]
internal sealed partial class RulesJsonContext : JsonSerializerContext;
