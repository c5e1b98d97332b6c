using System.Runtime.CompilerServices;

namespace ThreatBriefBot.Core.Classification;

/// <summary>
/// Countries from what people type and from what items say. A country counts for an item when its
/// mention weight reaches <c>aboutThreshold</c>: one name, demonym or seat of government ("the
/// Kremlin") in the body, or any mention in the title. A capital or other place weighs half, so a
/// lone venue ("spoke in Geneva") or a surname ("Simon Birmingham") does not make the item about a
/// country, while two such mentions do. A leading wire dateline ("SYDNEY, May 18 (Reuters) -") is
/// not a mention, nor is a comparison ("an Australia-type deal") or a currency ("US$").
/// </summary>
public sealed class CountryGazetteer : ICountryResolver
{
    private readonly CountryRules _rules;

    public CountryGazetteer(ClassificationRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules.Countries;
        CountryNames = [.. _rules.Countries.Select(c => c.Name)];
    }

    public IReadOnlyList<string> CountryNames { get; }

    public string? ResolveCountry(string phrase)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        return _rules.QueryIndex.TryGetValue(CountryRules.NormalizeQuery(phrase), out var country)
            ? _rules.Countries[country].Code
            : null;
    }

    public IReadOnlyList<string>? ResolveRegion(string phrase)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        return _rules.RegionIndex.GetValueOrDefault(CountryRules.NormalizeQuery(phrase));
    }

    public string NameOf(string countryCode)
    {
        ArgumentNullException.ThrowIfNull(countryCode);
        return _rules.CodeIndex.TryGetValue(countryCode, out var country) ? _rules.Countries[country].Name : countryCode;
    }

    /// <summary>The countries an item is about, most mentioned first.</summary>
    public IReadOnlyList<string> CountriesIn(string title, string text)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(text);
        var scratch = ClassifierScratch.Current;
        scratch.Countries.Clear();
        TextTokenizer.Tokenize(title, scratch.Tokens);
        Scan(title, scratch.Tokens.Span, inTitle: true, scratch.Countries, scratch.Matches);
        TextTokenizer.Tokenize(text, scratch.Tokens);
        Scan(text, scratch.Tokens.Span, inTitle: false, scratch.Countries, scratch.Matches);
        return Rank(scratch.Countries);
    }

    /// <summary>Adds the country mentions of one segment (the title or the body) to <paramref name="tally"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Scan(string source, ReadOnlySpan<Token> tokens, bool inTitle, CountryTally tally, MatchList matches)
    {
        var index = _rules.Trie.Index!;
        var forms = _rules.Trie.Values;
        var factor = inTitle ? _rules.TitleFactor : 1;
        var i = inTitle ? 0 : DatelineLength(source, tokens);
        while (i < tokens.Length)
        {
            matches.Clear();
            if (index.MayStartAt(source, tokens[i], titleCaseFallback: true))
            {
                index.MatchAt(source, tokens, i, titleCaseFallback: true, matches);
            }

            if (matches.Count == 0)
            {
                i++;
                continue;
            }

            var (end, value) = Longest(matches.Span);
            var form = forms[value];
            var next = end;
            if (end < tokens.Length && tokens[end].Joint == Joint.Hyphen
                && _rules.ComparisonSuffixes.Contains(source.Substring(tokens[end].Start, tokens[end].Length).ToLowerInvariant()))
            {
                next = end + 1;
            }
            else if (form.Kind != MentionKind.NotCountry && !IsCurrency(source, tokens[end - 1]))
            {
                tally.Add(form, form.Weight * factor);
            }

            i = next;
        }
    }

    internal IReadOnlyList<string> Rank(CountryTally tally)
    {
        var about = new List<(string Code, double Weight, int First)>();
        foreach (var mention in tally.Mentions)
        {
            // An ambiguous form ("Georgia") counts only once the country is named some other way too.
            var weight = mention.Confirmed > 0 ? mention.Confirmed + mention.Ambiguous : 0;
            if (weight >= _rules.AboutThreshold)
            {
                about.Add((_rules.Countries[mention.Country].Code, weight, mention.First));
            }
        }

        about.Sort((a, b) => b.Weight != a.Weight ? b.Weight.CompareTo(a.Weight) : a.First.CompareTo(b.First));
        var codes = new string[about.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = about[i].Code;
        }

        return codes;
    }

    /// <summary>The first of the longest matches.</summary>
    private static (int End, int Value) Longest(ReadOnlySpan<(int End, int Value)> matches)
    {
        var best = matches[0];
        foreach (var match in matches)
        {
            if (match.End > best.End)
            {
                best = match;
            }
        }

        return best;
    }

    /// <summary>A dateline starts with a word of three letters or more, not an initialism like "U.S.".</summary>
    private static bool IsPlainWord(ReadOnlySpan<char> word) => word.Length >= 3 && !word.Contains('.');

    /// <summary>"US$1 million" is an amount, not a mention of the United States.</summary>
    private static bool IsCurrency(string source, Token last) => last.End < source.Length && source[last.End] == '$';

    /// <summary>
    /// The number of leading tokens that form a wire dateline: upper-case words ("WASHINGTON",
    /// "SYDNEY", "NEW YORK") closed by a comma, a bracket or a dash. Where a story was filed is
    /// not what it is about.
    /// </summary>
    private static int DatelineLength(string source, ReadOnlySpan<Token> tokens)
    {
        var count = 0;
        while (count < tokens.Length && TextTokenizer.IsAllCaps(source.AsSpan(tokens[count].Start, tokens[count].Length))
               && (count == 0 ? IsPlainWord(source.AsSpan(tokens[0].Start, tokens[0].Length)) : tokens[count].Joint != Joint.Break))
        {
            count++;
        }

        if (count == 0 || count == tokens.Length)
        {
            return 0;
        }

        var separator = source.AsSpan(tokens[count - 1].End, tokens[count].Start - tokens[count - 1].End);
        return separator.IndexOfAny(",(\u2013\u2014-") >= 0 ? count : 0;
    }
}

/// <summary>Per-item country mention weights, split into confirmed and ambiguous mentions; reused from item to item.</summary>
internal sealed class CountryTally
{
    private int _sequence;

    /// <summary>The countries mentioned, in the order first mentioned across title and body.</summary>
    public List<CountryMention> Mentions { get; } = [];

    public void Clear()
    {
        Mentions.Clear();
        _sequence = 0;
    }

    public void Add(CountryForm form, double weight)
    {
        var order = _sequence++;
        CountryMention? mention = null;
        foreach (var seen in Mentions)
        {
            if (seen.Country == form.Country)
            {
                mention = seen;
                break;
            }
        }

        if (mention is null)
        {
            mention = new CountryMention { Country = form.Country, First = order };
            Mentions.Add(mention);
        }

        if (form.Kind == MentionKind.Ambiguous)
        {
            mention.Ambiguous += weight;
        }
        else
        {
            mention.Confirmed += weight;
        }
    }
}

internal sealed class CountryMention
{
    public int Country { get; init; }

    public double Confirmed { get; set; }

    public double Ambiguous { get; set; }

    /// <summary>Mention order, for a stable ranking of equal weights.</summary>
    public int First { get; init; }
}
