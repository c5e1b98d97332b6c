using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Core.Commands;

/// <summary>
/// Reads a brief query such as "japan", "JP cyber", "east asia trade" or "ransomware hospitals": the longest
/// phrases that name a country, a region or a topic are taken as such; the other words are searched as text.
/// </summary>
public sealed class BriefQueryResolver(IItemClassifier classifier, ICountryResolver countries)
{
    private const int LongestPhraseWords = 4;

    /// <summary>Topic prefixes shorter than this ("c", "tr") are too ambiguous to name a topic.</summary>
    private const int ShortestTopicPrefix = 4;

    public BriefQuery Resolve(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var words = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var found = new List<string>();
        var regions = new List<string>();
        var regionCountries = new List<string>();
        var topics = new List<string>();
        var text = new List<string>();

        for (var start = 0; start < words.Length;)
        {
            var matched = 0;
            for (var length = Math.Min(LongestPhraseWords, words.Length - start); length > 0 && matched == 0; length--)
            {
                var phrase = string.Join(' ', words, start, length);
                if (countries.ResolveCountry(phrase) is { } code)
                {
                    AddOnce(found, code);
                    matched = length;
                }
                else if (countries.ResolveRegion(phrase) is { } members)
                {
                    AddOnce(regions, phrase.ToLowerInvariant());
                    foreach (var member in members)
                    {
                        AddOnce(regionCountries, member);
                    }

                    matched = length;
                }
                else if (length == 1 && ResolveTopic(phrase) is { } topic)
                {
                    AddOnce(topics, topic);
                    matched = 1;
                }
            }

            if (matched == 0)
            {
                text.Add(words[start]);
                matched = 1;
            }

            start += matched;
        }

        return new BriefQuery(query.Trim(), found, regions, regionCountries, topics, text.Count > 0 ? string.Join(' ', text) : null);
    }

    /// <summary>
    /// A topic named exactly, by one of its synonyms ("ransomware", "tariffs"), or by a prefix of at least four
    /// letters ("cyber" for "cyberattacks").
    /// </summary>
    public string? ResolveTopic(string word)
    {
        var lower = word.Trim().ToLowerInvariant();
        return classifier.TopicNames.FirstOrDefault(t => string.Equals(t, lower, StringComparison.Ordinal))
            ?? classifier.Topics.FirstOrDefault(t => t.Aliases.Contains(lower, StringComparer.OrdinalIgnoreCase))?.Name
            ?? (lower.Length >= ShortestTopicPrefix
                ? classifier.TopicNames.FirstOrDefault(t => t.StartsWith(lower, StringComparison.Ordinal) || lower.StartsWith(t, StringComparison.Ordinal))
                : null);
    }

    /// <summary>Topic names and country names close to what was typed, for a query that found nothing.</summary>
    public IReadOnlyList<string> Suggest(string query)
    {
        var word = query.Trim().ToLowerInvariant();
        if (word.Length == 0)
        {
            return [.. classifier.TopicNames];
        }

        var candidates = classifier.TopicNames.Concat(countries.CountryNames).Distinct(StringComparer.OrdinalIgnoreCase);
        var close = candidates
            .Select(c => (Name: c, Distance: EditDistance.Between(word, c.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, word.Length / 3))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(5)
            .Select(c => c.Name)
            .ToList();
        return close.Count > 0 ? close : [.. classifier.TopicNames];
    }

    private static void AddOnce(List<string> list, string value)
    {
        if (!list.Contains(value, StringComparer.Ordinal))
        {
            list.Add(value);
        }
    }
}
