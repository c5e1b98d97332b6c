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

    // The classifier's loops are compiled fully optimized when first called (AggressiveOptimization, here and in the
    // tokenizer, trie and gazetteer). That keeps them out of the Release build's ReadyToRun images, whose code cannot
    // inline the framework's and ran a fifth slower; and with tiered JIT on (Debug), a short `classify` batch would
    // otherwise run mostly through unoptimized code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ItemClassification Classify(string title, string text)
    {
        title ??= "";
        text ??= "";
        var scratch = ClassifierScratch.Current;
        scratch.Hits.Clear();
        scratch.Countries.Clear();
        ScanSegment(title, inTitle: true, scratch);
        ScanSegment(text, inTitle: false, scratch);

        var (matches, scores) = Score(scratch);
        return new ItemClassification(matches, scores, _countries.Rank(scratch.Countries));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScanSegment(string segment, bool inTitle, ClassifierScratch scratch)
    {
        TextTokenizer.Tokenize(segment, scratch.Tokens);
        if (scratch.Tokens.Count == 0)
        {
            return;
        }

        ScanTopics(segment, scratch.Tokens.Span, inTitle, scratch);
        _countries.Scan(segment, scratch.Tokens.Span, inTitle, scratch.Countries, scratch.Matches);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScanTopics(string segment, ReadOnlySpan<Token> tokens, bool inTitle, ClassifierScratch scratch)
    {
        var index = _rules.Trie.Index!;
        var values = _rules.Trie.Values;
        var matches = scratch.Matches;
        var topicCount = _rules.Definitions.Count;
        Span<int> consumedUntil = stackalloc int[topicCount];
        Span<int> bestEnd = stackalloc int[topicCount];
        var bestTerm = scratch.BestTerms(topicCount);
        var factor = inTitle ? _rules.Scoring.TitleFactor : 1;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (!index.MayStartAt(segment, tokens[i], titleCaseFallback: false))
            {
                continue;
            }

            matches.Clear();
            index.MatchAt(segment, tokens, i, titleCaseFallback: false, matches);
            if (matches.Count == 0)
            {
                continue;
            }

            // Matches arrive most specific first (exact words before prefixes, longer prefixes first),
            // so on equal reach the first one stays.
            bestEnd.Clear();
            foreach (var (end, value) in matches.Span)
            {
                foreach (var term in values[value])
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
                    Record(scratch.Hits, term, term.Weight * factor, segment, tokens[i].Start, tokens[bestEnd[t] - 1].End);
                }
            }
        }
    }

    /// <summary>
    /// Keeps the strongest occurrence of a term, in first-seen order; its words (lower case, as the rules are)
    /// become a string only when they are kept.
    /// </summary>
    private static void Record(List<TermHit> hits, TopicTerm term, double value, string segment, int start, int end)
    {
        TermHit? hit = null;
        foreach (var seen in hits)
        {
            if (seen.Term.Id == term.Id)
            {
                hit = seen;
                break;
            }
        }

        if (hit is null)
        {
            hits.Add(new TermHit(term, value, Surface(segment, start, end)));
            return;
        }

        hit.Count++;
        if (Math.Abs(value) > Math.Abs(hit.Best))
        {
            hit.Best = value;
            hit.Surface = Surface(segment, start, end);
        }
    }

    private static string Surface(string segment, int start, int end) => segment[start..end].ToLowerInvariant();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (List<TopicMatch> Matches, Dictionary<string, double> Scores) Score(ClassifierScratch scratch)
    {
        var hits = scratch.Hits;
        var evidence = scratch.Evidence;
        var scoring = _rules.Scoring;
        var definitions = _rules.Definitions;
        var scores = new Dictionary<string, double>(definitions.Count, StringComparer.Ordinal);
        var matches = new List<TopicMatch>();
        for (var t = 0; t < definitions.Count; t++)
        {
            var hasAnchor = false;
            foreach (var hit in hits)
            {
                if (hit.Term.Topic == t && hit.Term is { Weight: > 0, RequiresContext: false })
                {
                    hasAnchor = true;
                    break;
                }
            }

            var raw = 0.0;
            evidence.Clear();
            foreach (var hit in hits)
            {
                if (hit.Term.Topic != t || (hit.Term.RequiresContext && !hasAnchor))
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
                matches.Add(new TopicMatch(definitions[t].Name, score, Decisive(evidence, scoring.MaxEvidence)));
            }
        }

        // Best score first; equal scores keep configuration order (the sort is stable).
        SortStableDescending(CollectionsMarshal.AsSpan(matches), m => m.Score);
        return (matches, scores);
    }

    /// <summary>The distinct surfaces of the strongest contributions, strongest first; equal ones in first-seen order.</summary>
    private static string[] Decisive(List<(string Surface, double Contribution)> evidence, int maxEvidence)
    {
        var sorted = CollectionsMarshal.AsSpan(evidence);
        SortStableDescending(sorted, e => e.Contribution);
        var decided = new List<string>(Math.Min(sorted.Length, maxEvidence));
        foreach (var (surface, _) in sorted)
        {
            if (decided.Count == maxEvidence)
            {
                break;
            }

            if (!decided.Contains(surface))
            {
                decided.Add(surface);
            }
        }

        return [.. decided];
    }

    /// <summary>An insertion sort: the lists are a handful long, and it keeps equal keys in order.</summary>
    private static void SortStableDescending<T>(Span<T> items, Func<T, double> key)
    {
        for (var i = 1; i < items.Length; i++)
        {
            var item = items[i];
            var j = i;
            for (; j > 0 && key(items[j - 1]) < key(item); j--)
            {
                items[j] = items[j - 1];
            }

            items[j] = item;
        }
    }

    internal sealed class TermHit(TopicTerm term, double best, string surface)
    {
        public TopicTerm Term { get; } = term;

        /// <summary>The occurrence with the largest weight (a title occurrence is multiplied).</summary>
        public double Best { get; set; } = best;

        public string Surface { get; set; } = surface;

        public int Count { get; set; } = 1;
    }
}

/// <summary>
/// The working memory of one classification, one per thread and reused from item to item, so classifying allocates
/// little more than its result.
/// </summary>
internal sealed class ClassifierScratch
{
    [ThreadStatic]
    private static ClassifierScratch? t_current;

    private TopicTerm?[] _bestTerms = [];

    public static ClassifierScratch Current => t_current ??= new ClassifierScratch();

    public TokenList Tokens { get; } = new();

    public MatchList Matches { get; } = new();

    public List<KeywordItemClassifier.TermHit> Hits { get; } = [];

    public List<(string Surface, double Contribution)> Evidence { get; } = [];

    public CountryTally Countries { get; } = new();

    /// <summary>Per topic, the term of the longest match at the current word.</summary>
    public TopicTerm?[] BestTerms(int topicCount)
    {
        if (_bestTerms.Length < topicCount)
        {
            _bestTerms = new TopicTerm?[topicCount];
        }

        return _bestTerms;
    }
}
