using System.Collections.Frozen;
using System.Text;

namespace ThreatBriefBot.Core.Classification;

/// <summary>The kinds of country mention, each with its own weight in countries.json.</summary>
internal enum MentionKind
{
    Name,
    Demonym,
    Metonym,
    Capital,
    Place,

    /// <summary>Counts only when the same country is also mentioned some other way ("Georgia", "Jordan").</summary>
    Ambiguous,

    /// <summary>A phrase that looks like a country but is not one ("Paris Agreement", "Latin America").</summary>
    NotCountry,
}

/// <summary>A surface form in running text: the country (or none) it names, how, and with what weight.</summary>
internal sealed record CountryForm(int Country, MentionKind Kind, double Weight);

/// <summary>One country of the gazetteer.</summary>
internal sealed record CountryEntry(string Code, string Name);

/// <summary>
/// The compiled gazetteer: a case-sensitive trie of every name, demonym, capital, metonym and place
/// for matching running text, and case-insensitive indexes for what users type.
/// </summary>
internal sealed class CountryRules
{
    private static readonly string[] s_weightKeys =
        ["name", "demonym", "metonym", "capital", "place", "ambiguous", "titleFactor", "aboutThreshold"];

    private CountryRules(
        IReadOnlyList<CountryEntry> countries,
        PhraseTrie<CountryForm> trie,
        FrozenSet<string> comparisonSuffixes,
        FrozenDictionary<string, int> queryIndex,
        FrozenDictionary<string, string[]> regionIndex,
        double titleFactor,
        double aboutThreshold)
    {
        Countries = countries;
        Trie = trie;
        ComparisonSuffixes = comparisonSuffixes;
        QueryIndex = queryIndex;
        RegionIndex = regionIndex;
        CodeIndex = countries.Select((c, i) => (c.Code, i)).ToFrozenDictionary(p => p.Code, p => p.i, StringComparer.OrdinalIgnoreCase);
        TitleFactor = titleFactor;
        AboutThreshold = aboutThreshold;
    }

    public IReadOnlyList<CountryEntry> Countries { get; }

    public PhraseTrie<CountryForm> Trie { get; }

    /// <summary>Lower-case words that, hyphenated after a country, make a comparison ("Australia-type").</summary>
    public FrozenSet<string> ComparisonSuffixes { get; }

    /// <summary>Alpha-2 code, any case → country index.</summary>
    public FrozenDictionary<string, int> CodeIndex { get; }

    /// <summary>Normalized query text → country index.</summary>
    public FrozenDictionary<string, int> QueryIndex { get; }

    /// <summary>Normalized region name → member codes.</summary>
    public FrozenDictionary<string, string[]> RegionIndex { get; }

    public double TitleFactor { get; }

    public double AboutThreshold { get; }

    /// <summary>The form of a query that indexes use: lower case, no dots, single spaces, no leading "the".</summary>
    public static string NormalizeQuery(string phrase)
    {
        var builder = new StringBuilder(phrase.Length);
        foreach (var c in phrase.Trim().ToLowerInvariant())
        {
            if (c is '.')
            {
                continue;
            }

            var mapped = c is '-' or '_' or '\u2010' or '\u2011' || char.IsWhiteSpace(c) ? ' ' : c is '\u2019' ? '\'' : c;
            if (mapped != ' ' || (builder.Length > 0 && builder[^1] != ' '))
            {
                builder.Append(mapped);
            }
        }

        var normalized = builder.ToString().TrimEnd();
        return normalized.StartsWith("the ", StringComparison.Ordinal) ? normalized[4..] : normalized;
    }

    public static CountryRules Compile(CountriesDocument document)
    {
        var weights = CompileWeights(document.Weights);
        if (document.Countries is not { Count: > 0 } countries)
        {
            throw Error("'countries' is missing or empty");
        }

        var entries = new List<CountryEntry>(countries.Count);
        var trie = new PhraseTrie<CountryForm>(foldCase: false);
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        var query = new Dictionary<string, (int Country, MentionKind Kind)>(StringComparer.Ordinal);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < countries.Count; c++)
        {
            var country = countries[c];
            var where = $"countries[{c}]";
            if (country.Code is not { Length: 2 } code || !code.All(char.IsAsciiLetterUpper))
            {
                throw Error($"{where}: 'code' must be an ISO 3166-1 alpha-2 code in upper case, got '{country.Code}'");
            }

            where = $"countries[{c}] ({code})";
            if (!codes.Add(code))
            {
                throw Error($"{where}: the code is listed twice");
            }

            if (string.IsNullOrWhiteSpace(country.Name))
            {
                throw Error($"{where}: 'name' is missing");
            }

            entries.Add(new CountryEntry(code, country.Name));
            AddQuery(query, code.ToLowerInvariant(), c, MentionKind.Name);
            var ambiguous = new HashSet<string>(country.Ambiguous ?? [], StringComparer.Ordinal);
            foreach (var (form, kind) in FormsOf(country))
            {
                if (string.IsNullOrWhiteSpace(form))
                {
                    throw Error($"{where}: an empty {kind.ToString().ToLowerInvariant()}");
                }

                // A form listed as ambiguous is ambiguous whatever else it is listed as ("Turkey" is also the name).
                var effective = ambiguous.Contains(form) ? MentionKind.Ambiguous : kind;
                var variants = kind == MentionKind.Demonym ? [form, form + "s"] : new[] { form };
                foreach (var variant in variants)
                {
                    if (owners.TryGetValue(variant, out var owner) && owner != c)
                    {
                        throw Error($"{where}: '{variant}' also names {entries[owner].Code}; a form must name one country (drop it from one, or from both)");
                    }

                    owners[variant] = c;
                    var weight = weights[effective];
                    // Listed twice by one country (a capital that is also a seat of government): the stronger kind wins.
                    if (!trie.Add(variant, existing => existing is null || existing.Weight < weight ? new CountryForm(c, effective, weight) : existing))
                    {
                        throw Error($"{where}: '{variant}' has no words");
                    }

                    AddQuery(query, NormalizeQuery(variant), c, effective);
                }
            }
        }

        foreach (var phrase in document.NotCountries ?? [])
        {
            if (owners.TryGetValue(phrase, out var owner))
            {
                throw Error($"notCountries: '{phrase}' is also a form of {entries[owner].Code}");
            }

            if (string.IsNullOrWhiteSpace(phrase) || !trie.Add(phrase, _ => new CountryForm(-1, MentionKind.NotCountry, 0)))
            {
                throw Error($"notCountries: '{phrase}' has no words");
            }
        }

        trie.Freeze();
        var suffixes = (document.ComparisonSuffixes ?? []).Select(s => s.Trim().ToLowerInvariant()).ToFrozenSet(StringComparer.Ordinal);
        return new CountryRules(
            entries,
            trie,
            suffixes,
            query.ToFrozenDictionary(p => p.Key, p => p.Value.Country, StringComparer.Ordinal),
            CompileRegions(document.Regions, codes),
            weights.TitleFactor,
            weights.AboutThreshold);
    }

    private static IEnumerable<(string Form, MentionKind Kind)> FormsOf(CountryDocument country)
    {
        yield return (country.Name!, MentionKind.Name);
        foreach (var alias in country.Aliases ?? [])
        {
            yield return (alias, MentionKind.Name);
        }

        foreach (var demonym in country.Demonyms ?? [])
        {
            yield return (demonym, MentionKind.Demonym);
        }

        if (country.Capital is not null)
        {
            yield return (country.Capital, MentionKind.Capital);
        }

        foreach (var metonym in country.Metonyms ?? [])
        {
            yield return (metonym, MentionKind.Metonym);
        }

        foreach (var place in country.Places ?? [])
        {
            yield return (place, MentionKind.Place);
        }

        foreach (var ambiguous in country.Ambiguous ?? [])
        {
            yield return (ambiguous, MentionKind.Ambiguous);
        }
    }

    /// <summary>For queries the strongest kind wins; a user typing "georgia" means the country.</summary>
    private static void AddQuery(Dictionary<string, (int Country, MentionKind Kind)> query, string key, int country, MentionKind kind)
    {
        if (key.Length > 0 && (!query.TryGetValue(key, out var existing) || existing.Kind > kind))
        {
            query[key] = (country, kind);
        }
    }

    private static FrozenDictionary<string, string[]> CompileRegions(List<RegionDocument>? regions, HashSet<string> codes)
    {
        var index = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var r = 0; r < (regions?.Count ?? 0); r++)
        {
            var region = regions![r];
            if (string.IsNullOrWhiteSpace(region.Name))
            {
                throw Error($"regions[{r}]: 'name' is missing");
            }

            var where = $"regions[{r}] ('{region.Name}')";
            if (region.Members is not { Count: > 0 } members)
            {
                throw Error($"{where}: 'members' is missing or empty");
            }

            if (members.FirstOrDefault(m => !codes.Contains(m)) is { } unknown)
            {
                throw Error($"{where}: member '{unknown}' is not a country code of this file");
            }

            string[] memberCodes = [.. members.Distinct(StringComparer.Ordinal)];
            foreach (var name in (region.Aliases ?? []).Prepend(region.Name))
            {
                var key = NormalizeQuery(name);
                // Spellings of one region may normalize alike ("South-East Asia", "South East Asia").
                if (index.TryGetValue(key, out var existing) ? existing != memberCodes : !index.TryAdd(key, memberCodes))
                {
                    throw Error($"{where}: '{name}' names another region too");
                }
            }
        }

        return index.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static Weights CompileWeights(Dictionary<string, double>? weights)
    {
        if (weights is null)
        {
            throw Error("'weights' is missing");
        }

        if (weights.Keys.FirstOrDefault(k => !s_weightKeys.Contains(k)) is { } unknown)
        {
            throw Error($"weights: unknown key '{unknown}' (known: {string.Join(", ", s_weightKeys)})");
        }

        double Get(string key) => weights.TryGetValue(key, out var value) && value > 0 && !double.IsInfinity(value)
            ? value
            : throw Error($"weights: '{key}' must be a positive number");

        return new Weights(Get("name"), Get("demonym"), Get("metonym"), Get("capital"), Get("place"), Get("ambiguous"), Get("titleFactor"), Get("aboutThreshold"));
    }

    private static ClassificationRulesException Error(string message) => new($"countries file: {message}");

    private sealed record Weights(double Name, double Demonym, double Metonym, double Capital, double Place, double Ambiguous, double TitleFactor, double AboutThreshold)
    {
        public double this[MentionKind kind] => kind switch
        {
            MentionKind.Name => Name,
            MentionKind.Demonym => Demonym,
            MentionKind.Metonym => Metonym,
            MentionKind.Capital => Capital,
            MentionKind.Place => Place,
            MentionKind.Ambiguous => Ambiguous,
            _ => 0,
        };
    }
}
