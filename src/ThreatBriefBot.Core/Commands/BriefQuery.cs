namespace ThreatBriefBot.Core.Commands;

/// <summary>What a brief query was understood to ask for.</summary>
/// <param name="Raw">The query as typed.</param>
/// <param name="Countries">Countries named in any common form (name, code, demonym, capital).</param>
/// <param name="Regions">Regions named ("east asia"), expanded into <paramref name="RegionCountries"/>.</param>
/// <param name="Topics">Topics named ("cyber", "climate").</param>
/// <param name="Text">The words that named none of these: searched for in titles and summaries.</param>
public sealed record BriefQuery(
    string Raw,
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> RegionCountries,
    IReadOnlyList<string> Topics,
    string? Text)
{
    /// <summary>True when nothing but free text was recognised.</summary>
    public bool IsTextOnly => Countries.Count == 0 && Regions.Count == 0 && Topics.Count == 0;

    /// <summary>Countries to filter on: those named and those of the regions named.</summary>
    public IReadOnlyList<string> AllCountries => [.. Countries.Union(RegionCountries, StringComparer.Ordinal)];
}
