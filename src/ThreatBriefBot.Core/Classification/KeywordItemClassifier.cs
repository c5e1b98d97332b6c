using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;

namespace ThreatBriefBot.Core.Classification;

/// <summary>
/// Classifies items with the weighted phrase rules of topics.json and the gazetteer of
/// countries.json, in one pass over each of the title and the body. Explainable: every applied
/// topic carries the phrases that decided it. Pure and thread-safe; the rules are compiled once.
/// </summary>
/// <remarks>
/// Per topic, at each word the longest phrase of that topic wins and consumes its words, so an
/// exclusion ("heart attack", "trade deadline") hides the weaker sense inside it. Each distinct
/// term then adds its strongest occurrence (a title occurrence times <c>titleFactor</c>) plus
/// <c>repeatBonus</c> of that for each repeat, up to <c>maxRepeats</c>. Terms that require
/// context count only next to a positive term that does not. The sum, floored at 0, becomes the
/// score 1 − e^(−raw/saturation); the topic applies from its threshold.
/// </remarks>
public sealed class KeywordItemClassifier : IItemClassifier
{
    private readonly TopicRules _rules;
    private readonly CountryGazetteer _countries;

    public KeywordItemClassifier(ClassificationRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules.Topics;
        _countries = new CountryGazetteer(rules);
        TopicNames = [.. _rules.Definitions.Select(d => d.Name)];
    }

    public IReadOnlyList<string> TopicNames { get; }

    public IReadOnlyList<TopicDefinition> Topics => _rules.Definitions;

    // The classifier's loops are compiled fully optimized at once (AggressiveOptimization, here and in the tokenizer,
    // trie and gazetteer): `classify` is a short process, and tiered JIT would run most of a batch through
    // unoptimized code first.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ItemClassification Classify(string title, string text)
    {
        title ??= "";
        text ??= "";
        var hits = new Dictionary<int, TermHit>();
        var countries = new CountryTally();
        ScanSegment(title, inTitle: true, hits, countries);
        ScanSegment(text, inTitle: false, hits, countries);

        var (matches, scores) = Score(hits);
        return new ItemClassification(matches, scores, _countries.Rank(countries));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScanSegment(string segment, bool inTitle, Dictionary<int, TermHit> hits, CountryTally countries)
    {
        var tokens = TextTokenizer.Tokenize(segment);
        if (tokens.Count == 0)
        {
            return;
        }

        // Topic rules match lower-cased text; a pooled buffer spares a copy of every item's text.
        var buffer = ArrayPool<char>.Shared.Rent(segment.Length);
        try
        {
            var lower = buffer.AsSpan(0, segment.Length);
            segment.AsSpan().ToLowerInvariant(lower);
            ScanTopics(lower, tokens, inTitle, hits);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        _countries.Scan(segment, tokens, inTitle, countries);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScanTopics(ReadOnlySpan<char> lower, List<Token> tokenList, bool inTitle, Dictionary<int, TermHit> hits)
    {
        ReadOnlySpan<Token> tokens = CollectionsMarshal.AsSpan(tokenList);
        var topicCount = _rules.Definitions.Count;
        Span<int> consumedUntil = stackalloc int[topicCount];
        Span<int> bestEnd = stackalloc int[topicCount];
        var bestTerm = new TopicTerm?[topicCount];
        var matches = new List<(int End, TopicTerm[] Value)>();
        var factor = inTitle ? _rules.Scoring.TitleFactor : 1;
        for (var i = 0; i < tokens.Length; i++)
        {
            matches.Clear();
            _rules.Trie.MatchAt(lower, tokens, i, titleCaseFallback: false, matches);
            if (matches.Count == 0)
            {
                continue;
            }

            // Matches arrive most specific first (exact words before prefixes, longer prefixes first),
            // so on equal reach the first one stays.
            bestEnd.Clear();
            foreach (var (end, terms) in matches)
            {
                foreach (var term in terms)
                {
                    if (end > bestEnd[term.Topic])
                    {
                        bestEnd[term.Topic] = end;
                        bestTerm[term.Topic] = term;
                    }
                }
            }

            for (var t = 0; t < topicCount; t++)
            {
                if (bestEnd[t] == 0 || i < consumedUntil[t])
                {
                    continue;
                }

                consumedUntil[t] = bestEnd[t];
                var term = bestTerm[t]!;
                if (!term.IsExclusion)
                {
                    Record(hits, term, term.Weight * factor, lower[tokens[i].Start..tokens[bestEnd[t] - 1].End]);
                }
            }
        }
    }

    /// <summary>Keeps the strongest occurrence of a term; its words become a string only when they are kept.</summary>
    private static void Record(Dictionary<int, TermHit> hits, TopicTerm term, double value, ReadOnlySpan<char> surface)
    {
        if (!hits.TryGetValue(term.Id, out var hit))
        {
            hits.Add(term.Id, new TermHit(term, value, surface.ToString()));
            return;
        }

        hit.Count++;
        if (Math.Abs(value) > Math.Abs(hit.Best))
        {
            hit.Best = value;
            hit.Surface = surface.ToString();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (List<TopicMatch> Matches, Dictionary<string, double> Scores) Score(Dictionary<int, TermHit> hits)
    {
        var scoring = _rules.Scoring;
        var definitions = _rules.Definitions;
        var scores = new Dictionary<string, double>(definitions.Count, StringComparer.Ordinal);
        var matches = new List<TopicMatch>();
        for (var t = 0; t < definitions.Count; t++)
        {
            var topicHits = hits.Values.Where(h => h.Term.Topic == t).ToList();
            var hasAnchor = topicHits.Exists(h => h.Term is { Weight: > 0, RequiresContext: false });
            var raw = 0.0;
            var evidence = new List<(string Surface, double Contribution)>();
            foreach (var hit in topicHits)
            {
                if (hit.Term.RequiresContext && !hasAnchor)
                {
                    continue;
                }

                var contribution = hit.Best * (1 + (scoring.RepeatBonus * Math.Min(hit.Count - 1, scoring.MaxRepeats)));
                raw += contribution;
                if (contribution > 0)
                {
                    evidence.Add((hit.Surface, contribution));
                }
            }

            var score = scoring.ScoreOf(raw);
            scores[definitions[t].Name] = score;
            if (raw > 0 && score >= definitions[t].Threshold)
            {
                string[] decided = [.. evidence
                    .OrderByDescending(e => e.Contribution)
                    .Select(e => e.Surface)
                    .Distinct(StringComparer.Ordinal)
                    .Take(scoring.MaxEvidence)];
                matches.Add(new TopicMatch(definitions[t].Name, score, decided));
            }
        }

        // Best score first; equal scores keep configuration order (the sort is stable).
        return ([.. matches.OrderByDescending(m => m.Score)], scores);
    }

    private sealed class TermHit(TopicTerm term, double best, string surface)
    {
        public TopicTerm Term { get; } = term;

        /// <summary>The occurrence with the largest weight (a title occurrence is multiplied).</summary>
        public double Best { get; set; } = best;

        public string Surface { get; set; } = surface;

        public int Count { get; set; } = 1;
    }
}
