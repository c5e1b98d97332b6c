using System.Runtime.CompilerServices;

namespace ThreatBriefBot.Core.Classification;

/// <summary>
/// Multi-word phrases compiled once into a word trie, so an item is matched in one pass over its
/// tokens with a hash probe per word, however many rules there are. A rule word ending in
/// <c>*</c> matches any word that starts with it ("hacker*" → hackers, hackered). Edges carry the
/// joint: a space in a rule matches a space or a hyphen in the text, a hyphen only a hyphen
/// ("trade-in" is not "trade in goods"), punctuation only punctuation ("N. Korea").
/// </summary>
/// <remarks>
/// Matching is the non-generic <see cref="PhraseIndex"/>: values are numbered, and the caller maps a number back
/// through <see cref="Values"/>. Shared generic code pays a run-time type look-up on every call once it is
/// precompiled (ReadyToRun), which the hot loop should not.
/// </remarks>
internal sealed class PhraseTrie<T>
    where T : class
{
    private readonly Node _root = new();

    /// <param name="foldCase">Whether rule words are lower case and match the text's words lower-cased (topics), or match them as written (countries).</param>
    public PhraseTrie(bool foldCase) => FoldCase = foldCase;

    public bool FoldCase { get; }

    /// <summary>The compiled trie; null until <see cref="Freeze"/>.</summary>
    public PhraseIndex? Index { get; private set; }

    /// <summary>The phrases' values, numbered as <see cref="PhraseIndex"/> reports them.</summary>
    public T[] Values { get; private set; } = [];

    /// <summary>Adds a phrase; <paramref name="update"/> gets the phrase's current value (or null) and returns the new one.</summary>
    /// <returns>False when the phrase has no words.</returns>
    public bool Add(string phrase, Func<T?, T> update)
    {
        if (Index is not null)
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
            var joint = i == 0 ? Joint.Space : token.Joint;
            var isPrefix = token.End < phrase.Length && phrase[token.End] == '*';
            node = node.Child(new EdgeLabel(joint, isPrefix, phrase.Substring(token.Start, token.Length)));
        }

        node.Value = update(node.Value);
        return true;
    }

    /// <summary>Compiles the look-up tables; call once before matching from several threads.</summary>
    public void Freeze()
    {
        if (Index is not null)
        {
            return;
        }

        // Number the nodes breadth first, so a node's number is known before its edges are written.
        var nodes = new List<Node> { _root };
        for (var n = 0; n < nodes.Count; n++)
        {
            nodes.AddRange(nodes[n].Edges.Values);
        }

        var numbers = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        for (var n = 0; n < nodes.Count; n++)
        {
            numbers.Add(nodes[n], n);
        }

        var values = new List<T>();
        var builder = new PhraseIndex.Builder(nodes.Count, FoldCase);
        for (var n = 0; n < nodes.Count; n++)
        {
            if (nodes[n].Value is { } value)
            {
                builder.SetValue(n, values.Count);
                values.Add(value);
            }

            foreach (var (label, child) in nodes[n].Edges)
            {
                builder.AddEdge(n, label, numbers[child]);
            }
        }

        Values = [.. values];
        Index = builder.Build();
    }

    private sealed class Node
    {
        public Dictionary<EdgeLabel, Node> Edges { get; } = [];

        public T? Value { get; set; }

        public Node Child(EdgeLabel label)
        {
            if (!Edges.TryGetValue(label, out var child))
            {
                child = new Node();
                Edges.Add(label, child);
            }

            return child;
        }
    }
}

/// <summary>One edge of a phrase trie: the rule word, whether it is a prefix ("hacker*"), and the joint before it.</summary>
internal readonly record struct EdgeLabel(Joint Joint, bool IsPrefix, string Word);

/// <summary>
/// A compiled <see cref="PhraseTrie{T}"/>: numbered nodes, and every edge in one open-addressing table keyed by
/// (node, joint, word key). A word's key comes from the tokenizer (<see cref="Token.FoldedKey"/> or
/// <see cref="Token.ExactKey"/>), so following an edge is one probe and one comparison of the word.
/// </summary>
internal sealed class PhraseIndex
{
    /// <summary>Longer words of a text are not looked up (so a rule word this long never matches).</summary>
    private const int MaxWordLength = 128;

    private readonly Edge[] _edges;
    private readonly int _shift;
    private readonly ulong[] _filter;
    private readonly int[] _values;
    private readonly bool[] _hasEdges;
    private readonly int[][] _prefixLengths;
    private readonly StartFilter?[] _prefixStarts;
    private readonly bool _foldCase;

    private PhraseIndex(Edge[] edges, int[] values, bool[] hasEdges, int[][] prefixLengths, StartFilter?[] prefixStarts, bool foldCase)
    {
        _edges = edges;
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)edges.Length);

        // A bit per edge key, in 16 to 32 bits per edge, small enough to stay in cache: most words of a text follow no
        // edge, and the filter turns them away without a probe into the larger edge table.
        _filter = new ulong[Math.Max(1, edges.Length * 8 / 64)];
        foreach (var edge in edges)
        {
            if (edge.Word is not null)
            {
                var bit = FilterBit(edge.Key);
                _filter[bit >> 6] |= 1UL << bit;
            }
        }

        _values = values;
        _hasEdges = hasEdges;
        _prefixLengths = prefixLengths;
        _prefixStarts = prefixStarts;
        _foldCase = foldCase;
    }

    /// <summary>
    /// Adds to <paramref name="results"/> every phrase that starts at token <paramref name="start"/>: (index after
    /// its last token, value number), most specific first at each word (the word itself, then its title-case form,
    /// then prefixes longest first), each followed by its longer phrases. With <paramref name="titleCaseFallback"/>,
    /// an all-caps word of three letters or more that matches no rule word also matches its title-case form
    /// ("TOKYO" → "Tokyo").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MatchAt(string source, ReadOnlySpan<Token> tokens, int start, bool titleCaseFallback, MatchList results) =>
        Visit(new Text(source, tokens, start, titleCaseFallback), 0, start, results);

    /// <summary>
    /// False when no phrase starts at <paramref name="token"/>, answered from the filters alone; true means
    /// <see cref="MatchAt"/> may find one. Most words of a text start no phrase, and are turned away here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayStartAt(string source, in Token token, bool titleCaseFallback)
    {
        if (MayFollow(EdgeKey(_foldCase ? token.FoldedKey : token.ExactKey, 0, RootWordCode)))
        {
            return true;
        }

        var word = source.AsSpan(token.Start, token.Length);
        return (_prefixLengths[0].Length > 0 && _prefixStarts[0]?.MayMatch(word, _foldCase) != false)
            || (titleCaseFallback && word.Length >= 3 && TextTokenizer.IsAllCaps(word));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Visit(in Text text, int node, int index, MatchList results)
    {
        if (index >= text.Tokens.Length || !_hasEdges[node])
        {
            return;
        }

        var token = text.Tokens[index];
        if (token.Length > MaxWordLength)
        {
            return;
        }

        var joint = index == text.Start ? Joint.Space : token.Joint;
        VisitWithJoint(text, node, index, token, joint, results);

        // A hyphen in the text also satisfies a space in the rule: "cyber-attack" is "cyber attack".
        if (joint == Joint.Hyphen)
        {
            VisitWithJoint(text, node, index, token, Joint.Space, results);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void VisitWithJoint(in Text text, int node, int index, in Token token, Joint joint, MatchList results)
    {
        var word = text.Source.AsSpan(token.Start, token.Length);
        var spelling = _foldCase ? Spelling.Folded : Spelling.Exact;
        var found = Follow(text, node, index, Code(joint, isPrefix: false), _foldCase ? token.FoldedKey : token.ExactKey, word, spelling, results);
        if (!found && text.TitleCaseFallback && word.Length >= 3 && TextTokenizer.IsAllCaps(word))
        {
            var titled = WordKey.Add(WordKey.Empty, word[0]);
            foreach (var c in word[1..])
            {
                titled = WordKey.Add(titled, WordKey.Fold(c));
            }

            Follow(text, node, index, Code(joint, isPrefix: false), titled, word, Spelling.TitleCase, results);
        }

        var lengths = _prefixLengths[node];
        if (lengths.Length == 0 || _prefixStarts[node]?.MayMatch(word, _foldCase) == false)
        {
            return;
        }

        // The keys of the word's prefixes, up to the longest rule prefix; rule prefixes are short.
        Span<ulong> keys = stackalloc ulong[Math.Min(word.Length, lengths[0]) + 1];
        var key = WordKey.Empty;
        for (var i = 0; i < keys.Length - 1; i++)
        {
            keys[i] = key;
            key = WordKey.Add(key, _foldCase ? WordKey.Fold(word[i]) : word[i]);
        }

        keys[^1] = key;
        foreach (var length in lengths)
        {
            if (length <= word.Length)
            {
                Follow(text, node, index, Code(joint, isPrefix: true), keys[length], word[..length], spelling, results);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Follow(in Text text, int node, int index, int code, ulong wordKey, ReadOnlySpan<char> word, Spelling spelling, MatchList results)
    {
        var key = EdgeKey(wordKey, node, code);
        if (!MayFollow(key))
        {
            return false;
        }

        var mask = _edges.Length - 1;
        for (var slot = (int)(key >> _shift); _edges[slot].Word is { } edgeWord; slot = (slot + 1) & mask)
        {
            ref readonly var edge = ref _edges[slot];
            if (edge.Key != key || edge.Node != node || edge.Code != code || !SameWord(edgeWord, word, spelling))
            {
                continue;
            }

            if (_values[edge.Child] >= 0)
            {
                results.Add(index + 1, _values[edge.Child]);
            }

            Visit(text, edge.Child, index + 1, results);
            return true;
        }

        return false;
    }

    private static bool SameWord(string ruleWord, ReadOnlySpan<char> word, Spelling spelling)
    {
        if (ruleWord.Length != word.Length)
        {
            return false;
        }

        for (var i = 0; i < word.Length; i++)
        {
            var c = spelling == Spelling.Exact || (spelling == Spelling.TitleCase && i == 0) ? word[i] : WordKey.Fold(word[i]);
            if (c != ruleWord[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The filter's bit for an edge key: bits below the ones that pick the slot.</summary>
    private int FilterBit(ulong key) => (int)(key >> 24) & ((_filter.Length * 64) - 1);

    /// <summary>False when no edge has this key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayFollow(ulong key)
    {
        var bit = FilterBit(key);
        return (_filter[bit >> 6] & (1UL << bit)) != 0;
    }

    /// <summary>The code of a word edge from the root: every phrase starts as if after a space.</summary>
    private const int RootWordCode = (int)Joint.Space << 1;

    private static int Code(Joint joint, bool isPrefix) => ((int)joint << 1) | (isPrefix ? 1 : 0);

    /// <summary>Mixes the node and edge kind into the word key; the high bits pick the slot.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EdgeKey(ulong wordKey, int node, int code) =>
        (wordKey + ((ulong)(uint)node << 3) + (ulong)code) * 0x9E3779B97F4A7C15UL;

    /// <summary>How a text word is compared with a rule word.</summary>
    private enum Spelling
    {
        Exact,
        Folded,

        /// <summary>The first letter as written, the rest lower-cased ("TOKYO" as "Tokyo").</summary>
        TitleCase,
    }

    private readonly ref struct Text(string source, ReadOnlySpan<Token> tokens, int start, bool titleCaseFallback)
    {
        public string Source { get; } = source;

        public ReadOnlySpan<Token> Tokens { get; } = tokens;

        public int Start { get; } = start;

        public bool TitleCaseFallback { get; } = titleCaseFallback;
    }

    private readonly record struct Edge(ulong Key, int Node, int Code, int Child, string? Word);

    /// <summary>Collects a trie's nodes and edges, then lays them out for matching.</summary>
    internal sealed class Builder(int nodeCount, bool foldCase)
    {
        private readonly int[] _values = Enumerable.Repeat(-1, nodeCount).ToArray();
        private readonly List<Edge> _edges = [];
        private readonly List<EdgeLabel>[] _prefixes = [.. Enumerable.Range(0, nodeCount).Select(_ => new List<EdgeLabel>())];

        public void SetValue(int node, int value) => _values[node] = value;

        public void AddEdge(int node, EdgeLabel label, int child)
        {
            var code = Code(label.Joint, label.IsPrefix);
            _edges.Add(new Edge(EdgeKey(WordKey.Of(label.Word), node, code), node, code, child, label.Word));
            if (label.IsPrefix)
            {
                _prefixes[node].Add(label);
            }
        }

        public PhraseIndex Build()
        {
            // At most half full, so a probe that misses stops at an empty slot after a step or two.
            var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, _edges.Count * 2));
            var table = new Edge[size];
            var shift = 64 - System.Numerics.BitOperations.Log2((uint)size);
            foreach (var edge in _edges)
            {
                var slot = (int)(edge.Key >> shift);
                while (table[slot].Word is not null)
                {
                    slot = (slot + 1) & (size - 1);
                }

                table[slot] = edge;
            }

            var hasEdges = new bool[_values.Length];
            foreach (var edge in _edges)
            {
                hasEdges[edge.Node] = true;
            }

            // Longest first, so among prefixes of equal reach the most specific rule ("ransomware*" over "ransom*") comes first.
            var prefixLengths = _prefixes.Select(p => p.Select(l => l.Word.Length).Distinct().OrderDescending().ToArray()).ToArray();
            var prefixStarts = _prefixes.Select(StartFilter.For).ToArray();
            return new PhraseIndex(table, _values, hasEdges, prefixLengths, prefixStarts, foldCase);
        }
    }

    /// <summary>
    /// A bit per opening of a node's prefix rules: their first three letters, or fewer when a prefix is shorter. At the
    /// roots, where every word of a text is looked up, most words start no rule prefix, and skip a probe per prefix
    /// length (a dozen at the root of the topic rules). False positives only cost probes.
    /// </summary>
    private sealed class StartFilter
    {
        /// <summary>Nodes with fewer prefixes are rare and small; a filter there costs more memory than it saves.</summary>
        private const int MinEdges = 16;

        private const int Bits = 1 << 14;

        private readonly ulong[] _bits = new ulong[Bits / 64];
        private readonly int _openingLength;

        private StartFilter(int openingLength) => _openingLength = openingLength;

        public static StartFilter? For(List<EdgeLabel> prefixes)
        {
            if (prefixes.Count < MinEdges)
            {
                return null;
            }

            var filter = new StartFilter(Math.Min(3, prefixes.Min(p => p.Word.Length)));
            foreach (var (_, _, prefix) in prefixes)
            {
                filter.Set(WordKey.Of(prefix.AsSpan(0, filter._openingLength)));
            }

            return filter;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool MayMatch(ReadOnlySpan<char> word, bool foldCase)
        {
            if (word.Length < _openingLength)
            {
                return false;
            }

            var key = WordKey.Empty;
            foreach (var c in word[.._openingLength])
            {
                key = WordKey.Add(key, foldCase ? WordKey.Fold(c) : c);
            }

            var bit = Bit(key);
            return (_bits[bit >> 6] & (1UL << bit)) != 0;
        }

        private static int Bit(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> (64 - 14));

        private void Set(ulong key)
        {
            var bit = Bit(key);
            _bits[bit >> 6] |= 1UL << bit;
        }
    }
}

/// <summary>Phrase matches at one word: (index after the phrase's last token, value number); reused by one thread.</summary>
internal sealed class MatchList
{
    private (int End, int Value)[] _items = new (int, int)[16];

    public int Count { get; private set; }

    public ReadOnlySpan<(int End, int Value)> Span => _items.AsSpan(0, Count);

    public void Clear() => Count = 0;

    public void Add(int end, int value)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = (end, value);
    }
}
