using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace ThreatBriefBot.Core.Classification;

/// <summary>
/// Multi-word phrases compiled once into a word trie, so an item is matched in one pass over its
/// tokens with a few hash look-ups per word, however many rules there are. A rule word ending in
/// <c>*</c> matches any word that starts with it ("hacker*" → hackers, hackered). Edges carry the
/// joint: a space in a rule matches a space or a hyphen in the text, a hyphen only a hyphen
/// ("trade-in" is not "trade in goods"), punctuation only punctuation ("N. Korea").
/// </summary>
internal sealed class PhraseTrie<T>
    where T : class
{
    private const char AnyJoint = ' ';
    private const char HyphenJoint = '-';
    private const char BreakJoint = '.';

    private readonly Node _root = new();
    private bool _frozen;

    /// <summary>Adds a phrase; <paramref name="update"/> gets the phrase's current value (or null) and returns the new one.</summary>
    /// <returns>False when the phrase has no words.</returns>
    public bool Add(string phrase, Func<T?, T> update)
    {
        if (_frozen)
        {
            throw new InvalidOperationException("The trie is frozen.");
        }

        var tokens = TextTokenizer.Tokenize(phrase);
        if (tokens.Count == 0)
        {
            return false;
        }

        var node = _root;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var marker = i == 0 ? AnyJoint : MarkerOf(token.Joint);
            var key = marker + phrase.Substring(token.Start, token.Length);
            var isPrefix = token.End < phrase.Length && phrase[token.End] == '*';
            node = node.Child(key, isPrefix);
        }

        node.Value = update(node.Value);
        return true;
    }

    /// <summary>Compiles the look-up tables; call once before matching from several threads.</summary>
    public void Freeze()
    {
        _root.Freeze();
        _frozen = true;
    }

    /// <summary>
    /// Adds to <paramref name="results"/> every phrase that starts at token <paramref name="start"/>:
    /// (index after its last token, value). With <paramref name="titleCaseFallback"/>, an all-caps
    /// word of three letters or more also matches its title-case form ("TOKYO" → "Tokyo").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MatchAt(ReadOnlySpan<char> source, ReadOnlySpan<Token> tokens, int start, bool titleCaseFallback, List<(int End, T Value)> results)
    {
        if (!_frozen)
        {
            throw new InvalidOperationException("Freeze the trie before matching.");
        }

        Visit(_root, source, tokens, start, start, titleCaseFallback, results);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Visit(Node node, ReadOnlySpan<char> source, ReadOnlySpan<Token> tokens, int start, int index,
        bool titleCaseFallback, List<(int End, T Value)> results)
    {
        if (index >= tokens.Length)
        {
            return;
        }

        var token = tokens[index];
        var word = source.Slice(token.Start, token.Length);
        if (word.Length > 128)
        {
            return;
        }

        Span<char> key = stackalloc char[word.Length + 1];
        word.CopyTo(key[1..]);
        var joint = index == start ? Joint.Space : token.Joint;
        VisitWithMarker(node, source, tokens, start, index, titleCaseFallback, results, key, MarkerOf(joint));

        // A hyphen in the text also satisfies a space in the rule: "cyber-attack" is "cyber attack".
        if (joint == Joint.Hyphen)
        {
            VisitWithMarker(node, source, tokens, start, index, titleCaseFallback, results, key, AnyJoint);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VisitWithMarker(Node node, ReadOnlySpan<char> source, ReadOnlySpan<Token> tokens, int start, int index,
        bool titleCaseFallback, List<(int End, T Value)> results, Span<char> key, char marker)
    {
        key[0] = marker;
        var found = node.WordStarts?.MayMatch(key) != false
            && Follow(node.WordLookup, key, source, tokens, start, index, titleCaseFallback, results);
        if (!found && titleCaseFallback && key.Length > 3 && TextTokenizer.IsAllCaps(key[1..]))
        {
            Span<char> titled = stackalloc char[key.Length];
            key.CopyTo(titled);
            for (var i = 2; i < titled.Length; i++)
            {
                titled[i] = char.ToLowerInvariant(titled[i]);
            }

            if (node.WordStarts?.MayMatch(titled) != false)
            {
                Follow(node.WordLookup, titled, source, tokens, start, index, titleCaseFallback, results);
            }
        }

        if (node.PrefixLengths.Length == 0 || node.PrefixStarts?.MayMatch(key) == false)
        {
            return;
        }

        foreach (var length in node.PrefixLengths)
        {
            if (length <= key.Length)
            {
                Follow(node.PrefixLookup, key[..length], source, tokens, start, index, titleCaseFallback, results);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Follow(FrozenDictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<char> key,
        ReadOnlySpan<char> source, ReadOnlySpan<Token> tokens, int start, int index, bool titleCaseFallback, List<(int End, T Value)> results)
    {
        if (lookup.Dictionary.Count == 0 || !lookup.TryGetValue(key, out var child))
        {
            return false;
        }

        if (child.Value is { } value)
        {
            results.Add((index + 1, value));
        }

        Visit(child, source, tokens, start, index + 1, titleCaseFallback, results);
        return true;
    }

    private static char MarkerOf(Joint joint) => joint switch
    {
        Joint.Hyphen => HyphenJoint,
        Joint.Break => BreakJoint,
        _ => AnyJoint,
    };

    private sealed class Node
    {
        private static readonly FrozenDictionary<string, Node> s_empty = FrozenDictionary<string, Node>.Empty;

        private Dictionary<string, Node>? _words;
        private Dictionary<string, Node>? _prefixes;

        public T? Value { get; set; }

        public FrozenDictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> WordLookup { get; private set; }
            = s_empty.GetAlternateLookup<ReadOnlySpan<char>>();

        public FrozenDictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> PrefixLookup { get; private set; }
            = s_empty.GetAlternateLookup<ReadOnlySpan<char>>();

        /// <summary>
        /// The distinct key lengths of the prefix edges, longest first, so a word is cut only where a prefix could
        /// match and, among matches of equal reach, the most specific rule ("ransomware*" over "ransom*") comes first.
        /// </summary>
        public int[] PrefixLengths { get; private set; } = [];

        /// <summary>Which words can start a word edge; null for a node with too few edges to be worth a filter.</summary>
        public StartFilter? WordStarts { get; private set; }

        /// <summary>Which words can start a prefix edge; null likewise.</summary>
        public StartFilter? PrefixStarts { get; private set; }

        public Node Child(string key, bool isPrefix)
        {
            var edges = isPrefix
                ? _prefixes ??= new Dictionary<string, Node>(StringComparer.Ordinal)
                : _words ??= new Dictionary<string, Node>(StringComparer.Ordinal);
            if (!edges.TryGetValue(key, out var child))
            {
                child = new Node();
                edges.Add(key, child);
            }

            return child;
        }

        public void Freeze()
        {
            foreach (var child in (_words?.Values ?? Enumerable.Empty<Node>()).Concat(_prefixes?.Values ?? Enumerable.Empty<Node>()))
            {
                child.Freeze();
            }

            if (_words is not null)
            {
                WordLookup = _words.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
                WordStarts = StartFilter.For(_words.Keys, isPrefix: false);
            }

            if (_prefixes is not null)
            {
                PrefixLookup = _prefixes.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
                PrefixLengths = [.. _prefixes.Keys.Select(k => k.Length).Distinct().OrderDescending()];
                PrefixStarts = StartFilter.For(_prefixes.Keys, isPrefix: true);
            }

            _words = null;
            _prefixes = null;
        }
    }

    /// <summary>
    /// A bit per first two letters (folded to 7 bits) of the words on a node's edges. At the roots, where every word of
    /// a text is looked up, most words start with no rule word's two letters, and skip the hash look-ups: one for the
    /// word, and one per prefix length (a dozen at the root of the topic rules). False positives only cost a look-up.
    /// </summary>
    private sealed class StartFilter
    {
        /// <summary>Nodes with fewer edges are rare and small; a filter there costs more memory than it saves.</summary>
        private const int MinEdges = 16;

        private readonly ulong[] _bits = new ulong[(1 << 14) / 64];

        /// <param name="keys">Edge keys: the joint marker, then the word.</param>
        public static StartFilter? For(IReadOnlyCollection<string> keys, bool isPrefix)
        {
            if (keys.Count < MinEdges)
            {
                return null;
            }

            var filter = new StartFilter();
            foreach (var key in keys)
            {
                if (key.Length > 2 || !isPrefix)
                {
                    filter.Set(key[1], key.Length > 2 ? key[2] : '\0');
                }
                else
                {
                    // A one-letter prefix ("x*") starts words with any second letter.
                    for (var second = '\0'; second < 128; second++)
                    {
                        filter.Set(key[1], second);
                    }
                }
            }

            return filter;
        }

        /// <param name="key">The joint marker, then the word of the text.</param>
        public bool MayMatch(ReadOnlySpan<char> key)
        {
            var bit = Bit(key[1], key.Length > 2 ? key[2] : '\0');
            return (_bits[bit >> 6] & (1UL << (bit & 63))) != 0;
        }

        private static int Bit(char first, char second) => ((first & 0x7F) << 7) | (second & 0x7F);

        private void Set(char first, char second)
        {
            var bit = Bit(first, second);
            _bits[bit >> 6] |= 1UL << (bit & 63);
        }
    }
}
