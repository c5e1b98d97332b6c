namespace ThreatBriefBot.Core.Classification;

/// <summary>One rule phrase of one topic, as compiled.</summary>
/// <param name="Id">Dense index over all terms of all topics, for per-item tallies.</param>
/// <param name="Weight">Evidence per match; negative for counter-evidence, 0 for an exclusion.</param>
/// <param name="RequiresContext">Counts only when the topic also has a positive term that does not require context.</param>
/// <param name="IsExclusion">Cancels the sense: it only consumes the words it covers.</param>
internal sealed record TopicTerm(int Id, int Topic, string Phrase, double Weight, bool RequiresContext, bool IsExclusion);

/// <summary>How matches become a score; see the <c>scoring.about</c> text in topics.json.</summary>
internal sealed record TopicScoring(double TitleFactor, double RepeatBonus, int MaxRepeats, double Saturation, int MaxEvidence)
{
    /// <summary>Maps raw evidence in [0,∞) to [0,1): 1 − e^(−raw/saturation).</summary>
    public double ScoreOf(double raw) => raw <= 0 ? 0 : 1 - Math.Exp(-raw / Saturation);
}

/// <summary>The compiled topic rules: definitions, scoring and one trie over every topic's phrases.</summary>
internal sealed class TopicRules
{
    private TopicRules(IReadOnlyList<TopicDefinition> definitions, TopicScoring scoring, PhraseTrie<TopicTerm[]> trie)
    {
        Definitions = definitions;
        Scoring = scoring;
        Trie = trie;
    }

    public IReadOnlyList<TopicDefinition> Definitions { get; }

    public TopicScoring Scoring { get; }

    public PhraseTrie<TopicTerm[]> Trie { get; }

    /// <summary>A copy whose named topics use new thresholds; the compiled trie is shared, not rebuilt.</summary>
    public TopicRules WithThresholds(IReadOnlyDictionary<string, double> thresholds)
    {
        foreach (var (name, threshold) in thresholds)
        {
            if (!Definitions.Any(d => d.Name == name))
            {
                throw new ClassificationRulesException(
                    $"thresholds: '{name}' is not a configured topic (known: {string.Join(", ", Definitions.Select(d => d.Name))})");
            }

            if (threshold is not (> 0 and <= 1))
            {
                throw new ClassificationRulesException($"thresholds: '{name}' must be a number in (0, 1], got {threshold}");
            }
        }

        TopicDefinition[] definitions = [.. Definitions.Select(d =>
            thresholds.TryGetValue(d.Name, out var threshold) ? d with { Threshold = threshold } : d)];
        return new TopicRules(definitions, Scoring, Trie);
    }

    public static TopicRules Compile(TopicsDocument document)
    {
        var scoring = CompileScoring(document.Scoring);
        if (document.Topics is not { Count: > 0 } topics)
        {
            throw Error("'topics' is missing or empty");
        }

        var definitions = new List<TopicDefinition>();
        var trie = new PhraseTrie<TopicTerm[]>(foldCase: true);
        var termCount = 0;
        for (var t = 0; t < topics.Count; t++)
        {
            var topic = topics[t];
            var where = $"topics[{t}]";
            if (string.IsNullOrWhiteSpace(topic.Name))
            {
                throw Error($"{where}: 'name' is missing");
            }

            where = $"topics[{t}] ('{topic.Name}')";
            if (definitions.Exists(d => d.Name == topic.Name))
            {
                throw Error($"{where}: the name is used by another topic");
            }

            if (topic.Threshold is not { } threshold || threshold is not (> 0 and <= 1))
            {
                throw Error($"{where}: 'threshold' must be a number in (0, 1], got {topic.Threshold?.ToString() ?? "nothing"}");
            }

            if (topic.Terms is not { Count: > 0 })
            {
                throw Error($"{where}: 'terms' is missing or empty");
            }

            definitions.Add(new TopicDefinition(topic.Name, topic.Description ?? "", threshold) { Aliases = Aliases(topic.Aliases, where) });
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var g = 0; g < topic.Terms.Count; g++)
            {
                var group = topic.Terms[g];
                if (group.Weight is not { } weight || double.IsNaN(weight) || double.IsInfinity(weight) || weight == 0)
                {
                    throw Error($"{where}.terms[{g}]: 'weight' must be a non-zero number (use 'exclude' to cancel a sense)");
                }

                if (group.RequiresContext && weight < 0)
                {
                    throw Error($"{where}.terms[{g}]: 'requiresContext' applies to positive weights only");
                }

                foreach (var phrase in Phrases(group.Phrases, $"{where}.terms[{g}].phrases"))
                {
                    AddTerm(trie, seen, where, new TopicTerm(termCount++, t, phrase, weight, group.RequiresContext, IsExclusion: false));
                }
            }

            if (topic.Exclude is { Count: > 0 } exclude)
            {
                foreach (var phrase in Phrases(exclude, $"{where}.exclude"))
                {
                    AddTerm(trie, seen, where, new TopicTerm(termCount++, t, phrase, 0, RequiresContext: false, IsExclusion: true));
                }
            }
        }

        trie.Freeze();
        return new TopicRules(definitions, scoring, trie);
    }

    private static TopicScoring CompileScoring(ScoringDocument? scoring)
    {
        if (scoring is null)
        {
            throw Error("'scoring' is missing");
        }

        var titleFactor = Positive(scoring.TitleFactor, "scoring.titleFactor");
        var saturation = Positive(scoring.Saturation, "scoring.saturation");
        if (scoring.RepeatBonus is not { } bonus || bonus is not (>= 0 and <= 1))
        {
            throw Error($"'scoring.repeatBonus' must be in [0, 1], got {scoring.RepeatBonus?.ToString() ?? "nothing"}");
        }

        if (scoring.MaxRepeats is not { } repeats || repeats < 0)
        {
            throw Error("'scoring.maxRepeats' must be a whole number >= 0");
        }

        if (scoring.MaxEvidence is not { } evidence || evidence < 1)
        {
            throw Error("'scoring.maxEvidence' must be a whole number >= 1");
        }

        return new TopicScoring(titleFactor, bonus, repeats, saturation, evidence);
    }

    private static double Positive(double? value, string name) =>
        value is > 0 and < double.PositiveInfinity ? value.Value
            : throw Error($"'{name}' must be a positive number, got {value?.ToString() ?? "nothing"}");

    /// <summary>Query synonyms ("cyber", "tariffs"): trimmed, lower case, each once.</summary>
    private static string[] Aliases(List<string>? aliases, string where)
    {
        var result = new List<string>();
        foreach (var alias in aliases ?? [])
        {
            if (string.IsNullOrWhiteSpace(alias))
            {
                throw Error($"{where}.aliases: empty alias");
            }

            var normalized = alias.Trim().ToLowerInvariant();
            if (!result.Contains(normalized))
            {
                result.Add(normalized);
            }
        }

        return [.. result];
    }

    private static IEnumerable<string> Phrases(List<string>? phrases, string where)
    {
        if (phrases is not { Count: > 0 })
        {
            throw Error($"{where}: no phrases");
        }

        for (var i = 0; i < phrases.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(phrases[i]))
            {
                throw Error($"{where}[{i}]: empty phrase");
            }

            yield return phrases[i].Trim().ToLowerInvariant();
        }
    }

    private static void AddTerm(PhraseTrie<TopicTerm[]> trie, HashSet<string> seen, string where, TopicTerm term)
    {
        if (!seen.Add(term.Phrase))
        {
            throw Error($"{where}: phrase '{term.Phrase}' appears twice in this topic");
        }

        if (!trie.Add(term.Phrase, existing => existing is null ? [term] : [.. existing, term]))
        {
            throw Error($"{where}: phrase '{term.Phrase}' has no words");
        }
    }

    private static ClassificationRulesException Error(string message) => new($"topics file: {message}");
}
