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
        if (node.MayStartWordEdge(key))
        {
            var found = Follow(node.WordLookup, key, source, tokens, start, index, titleCaseFallback, results);
            if (!found && titleCaseFallback && key.Length > 3 && TextTokenizer.IsAllCaps(key[1..]))
            {
                Span<char> titled = stackalloc char[key.Length];
                key.CopyTo(titled);
                for (var i = 2; i < titled.Length; i++)
                {
                    titled[i] = char.ToLowerInvariant(titled[i]);
                }

                Follow(node.WordLookup, titled, source, tokens, start, index, titleCaseFallback, results);
            }
        }

        if (!node.MayStartPrefixEdge(key))
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

        /// <summary>One bit per first letter of a word edge (7-bit folded): country rules start with capitals, most words do not.</summary>
        private readonly ulong[] _wordStarts = new ulong[2];

        /// <param name="key">The joint marker, then the word.</param>
        public bool MayStartWordEdge(ReadOnlySpan<char> key)
        {
            var bit = key[1] & 0x7F;
            return (_wordStarts[bit >> 6] & (1UL << (bit & 63))) != 0;
        }

        /// <summary>
        /// One bit per first two letters of a prefix edge's word (7-bit folded), or null when an edge's word has one
        /// letter. Most words start with no prefix rule's two letters, and this check spares them a hash look-up per
        /// prefix length: at the root of the topic rules, up to a dozen per word.
        /// </summary>
        private ulong[]? _prefixStarts;

        /// <param name="key">The joint marker, then the word.</param>
        public bool MayStartPrefixEdge(ReadOnlySpan<char> key)
        {
            if (PrefixLengths.Length == 0)
            {
                return false;
            }

            if (_prefixStarts is null)
            {
                return true;
            }

            if (key.Length < 3)
            {
                return false;
            }

            var bit = StartBit(key[1], key[2]);
            return (_prefixStarts[bit >> 6] & (1UL << (bit & 63))) != 0;
        }

        private static int StartBit(char first, char second) => ((first & 0x7F) << 7) | (second & 0x7F);

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
                foreach (var key in _words.Keys)
                {
                    var bit = key[1] & 0x7F;
                    _wordStarts[bit >> 6] |= 1UL << (bit & 63);
                }

                WordLookup = _words.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            }

            if (_prefixes is not null)
            {
                PrefixLookup = _prefixes.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
                PrefixLengths = [.. _prefixes.Keys.Select(k => k.Length).Distinct().OrderDescending()];
                if (_prefixes.Keys.All(k => k.Length >= 3))
                {
                    _prefixStarts = new ulong[(1 << 14) / 64];
                    foreach (var key in _prefixes.Keys)
                    {
                        var bit = StartBit(key[1], key[2]);
                        _prefixStarts[bit >> 6] |= 1UL << (bit & 63);
                    }
                }
            }

            _words = null;
            _prefixes = null;
        }
    }
}
