using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Tests.Classification;

public sealed class PhraseTrieTests
{
    [Theory]
    [InlineData("hackers", true)]
    [InlineData("hacker", true)]
    [InlineData("hack", false)]
    [InlineData("HACKERED", true)]
    public void MatchAt_PrefixRule_MatchesWordsThatStartWithIt(string text, bool matches)
    {
        var trie = Trie(foldCase: true, "hacker*");

        Assert.Equal(matches ? [(1, "hacker*")] : [], MatchesAt(trie, text, 0));
    }

    [Theory]
    [InlineData("CYBERATTACK", "cyberattack")]
    [InlineData("Énergie", "énergie")]
    [InlineData("ÉNERGIE RENOUVELABLE", "énergie renouvelable")]
    public void MatchAt_FoldedRules_MatchAnyCaseBeyondAsciiToo(string text, string phrase)
    {
        var trie = Trie(foldCase: true, phrase);

        Assert.Equal([(text.Count(c => c == ' ') + 1, phrase)], MatchesAt(trie, text, 0));
    }

    [Theory]
    [InlineData("Chad", false, true)]
    [InlineData("chad", false, false)]
    [InlineData("CHAD", false, false)]
    [InlineData("CHAD", true, true)]
    public void MatchAt_ExactRules_MatchAsWrittenOrAllCapsWhenAsked(string text, bool titleCaseFallback, bool matches)
    {
        var trie = Trie(foldCase: false, "Chad");

        Assert.Equal(matches ? [(1, "Chad")] : [], MatchesAt(trie, text, 0, titleCaseFallback));
    }

    [Fact]
    public void MatchAt_TwoLetterAllCapsWord_HasNoTitleCaseFallback()
    {
        var trie = Trie(foldCase: false, "Us");

        Assert.Empty(MatchesAt(trie, "US", 0, titleCaseFallback: true));
    }

    [Theory]
    [InlineData("a cyber attack", "cyber attack", true)]
    [InlineData("a cyber-attack", "cyber attack", true)]
    [InlineData("a cyber, attack", "cyber attack", false)]
    [InlineData("a trade-in", "trade-in", true)]
    [InlineData("a trade in", "trade-in", false)]
    [InlineData("a N. Korea", "n. korea", true)]
    [InlineData("a N Korea", "n. korea", false)]
    public void MatchAt_Joints_SpaceTakesHyphenButNotPunctuation(string text, string phrase, bool matches)
    {
        var trie = Trie(foldCase: true, phrase);

        Assert.Equal(matches ? [(3, phrase)] : [], MatchesAt(trie, text, 1));
    }

    [Fact]
    public void MatchAt_SeveralRules_MostSpecificFirstEachFollowedByItsLongerPhrases()
    {
        var trie = Trie(foldCase: true, "ransom*", "ransomware*", "ransomware", "ransomware attack");

        Assert.Equal(
            [(1, "ransomware"), (2, "ransomware attack"), (1, "ransomware*"), (1, "ransom*")],
            MatchesAt(trie, "ransomware attack", 0));
    }

    /// <summary>
    /// The compiled trie (hashed keys, filters) against the plain trie it replaced (string keys, no filters), on random
    /// rules and texts made of look-alike words: the same matches in the same order at every word, and the filters
    /// never turn away a word that starts a match.
    /// </summary>
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 3)]
    [InlineData(false, 4)]
    public void MatchAt_RandomRulesAndTexts_SameAsPlainTrie(bool foldCase, int seed)
    {
        var random = new Random(seed);
        string[] words = ["ab", "abc", "abcd", "Ab", "cy", "cyber", "Cyber", "at", "attack", "trade", "tra", "é", "éner", "Énergie", "Ko", "KOREA", "Korea", "rea", "N", "U.S", "İz", "ǅx"];
        string[] joints = [" ", "-", ". ", ", ", " - ", "'s ", " “", "\u2013"];
        string[] ruleJoints = [" ", " ", "-", ". "];
        var phrases = new HashSet<string>(StringComparer.Ordinal);
        while (phrases.Count < 60)
        {
            var separator = ruleJoints[random.Next(ruleJoints.Length)];
            var phrase = string.Join(separator, Enumerable.Range(0, 1 + random.Next(3)).Select(_ => words[random.Next(words.Length)] + (random.Next(4) == 0 ? "*" : "")));
            phrases.Add(foldCase ? phrase.ToLowerInvariant() : phrase);
        }

        var trie = Trie(foldCase, [.. phrases]);
        var plain = new PlainTrie(foldCase, phrases);
        for (var n = 0; n < 400; n++)
        {
            var text = string.Concat(Enumerable.Range(0, 1 + random.Next(12)).Select(_ => Cased(words[random.Next(words.Length)], random) + joints[random.Next(joints.Length)]));
            var tokens = TextTokenizer.Tokenize(text);
            for (var start = 0; start < tokens.Count; start++)
            {
                var titleCaseFallback = !foldCase && random.Next(2) == 0;
                var expected = plain.MatchAt(text, tokens.Span, start, titleCaseFallback);
                Assert.Equal(expected, MatchesAt(trie, text, start, titleCaseFallback));
                Assert.True(expected.Count == 0 || trie.Index!.MayStartAt(text, tokens[start], titleCaseFallback), $"filtered out: '{text}' at {start}");
            }
        }
    }

    [Fact]
    public void Tokenize_WordKeys_AreTheKeysOfTheWordAsWrittenAndLowerCased()
    {
        const string text = "The U.S. and Côte d’Ivoire's ÉNERGIE-deal; D.C.: İstanbul ǅungla x2 ΣΊΣΥΦΟΣ";
        var tokens = TextTokenizer.Tokenize(text);

        Assert.Equal(["The", "U.S", "and", "Côte", "d", "Ivoire", "ÉNERGIE", "deal", "D.C", "İstanbul", "ǅungla", "x2", "ΣΊΣΥΦΟΣ"], tokens.Span.ToArray().Select(t => text.Substring(t.Start, t.Length)));
        foreach (var token in tokens.Span)
        {
            var word = text.AsSpan(token.Start, token.Length);
            Assert.Equal(WordKey.Of(word), token.ExactKey);
            Assert.Equal(WordKey.Of(word.ToString().ToLowerInvariant()), token.FoldedKey);
        }
    }

    private static string Cased(string word, Random random) => random.Next(4) switch
    {
        0 => word.ToUpperInvariant(),
        1 => word.ToLowerInvariant(),
        _ => word,
    };

    private static PhraseTrie<string> Trie(bool foldCase, params string[] phrases)
    {
        var trie = new PhraseTrie<string>(foldCase);
        foreach (var phrase in phrases)
        {
            Assert.True(trie.Add(phrase, _ => phrase));
        }

        trie.Freeze();
        return trie;
    }

    private static List<(int End, string Phrase)> MatchesAt(PhraseTrie<string> trie, string text, int start, bool titleCaseFallback = false)
    {
        var tokens = TextTokenizer.Tokenize(text);
        var results = new MatchList();
        trie.Index!.MatchAt(text, tokens.Span, start, titleCaseFallback, results);
        return [.. results.Span.ToArray().Select(m => (m.End, trie.Values[m.Value]))];
    }

    /// <summary>The trie as it was before it was compiled: string keys per node, lower-cased text, every look-up made.</summary>
    private sealed class PlainTrie
    {
        private readonly Node _root = new();
        private readonly bool _foldCase;

        public PlainTrie(bool foldCase, IEnumerable<string> phrases)
        {
            _foldCase = foldCase;
            foreach (var phrase in phrases)
            {
                var tokens = TextTokenizer.Tokenize(phrase);
                var node = _root;
                for (var i = 0; i < tokens.Count; i++)
                {
                    var token = tokens[i];
                    var isPrefix = token.End < phrase.Length && phrase[token.End] == '*';
                    var edges = isPrefix ? node.Prefixes : node.Words;
                    var key = (i == 0 ? Joint.Space : token.Joint, phrase.Substring(token.Start, token.Length));
                    if (!edges.TryGetValue(key, out var child))
                    {
                        edges.Add(key, child = new Node());
                    }

                    node = child;
                }

                node.Value = phrase;
            }
        }

        public List<(int End, string Phrase)> MatchAt(string text, ReadOnlySpan<Token> tokens, int start, bool titleCaseFallback)
        {
            var results = new List<(int, string)>();
            Visit(_root, _foldCase ? text.ToLowerInvariant() : text, tokens.ToArray(), start, start, titleCaseFallback, results);
            return results;
        }

        private static void Visit(Node node, string source, Token[] tokens, int start, int index, bool titleCaseFallback, List<(int, string)> results)
        {
            if (index >= tokens.Length || tokens[index].Length > 128)
            {
                return;
            }

            var word = source.Substring(tokens[index].Start, tokens[index].Length);
            var joint = index == start ? Joint.Space : tokens[index].Joint;
            VisitWithJoint(node, source, tokens, start, index, titleCaseFallback, results, word, joint);
            if (joint == Joint.Hyphen)
            {
                VisitWithJoint(node, source, tokens, start, index, titleCaseFallback, results, word, Joint.Space);
            }
        }

        private static void VisitWithJoint(Node node, string source, Token[] tokens, int start, int index, bool titleCaseFallback, List<(int, string)> results, string word, Joint joint)
        {
            var found = Follow(node.Words, (joint, word), source, tokens, start, index, titleCaseFallback, results);
            if (!found && titleCaseFallback && word.Length >= 3 && TextTokenizer.IsAllCaps(word))
            {
                Follow(node.Words, (joint, word[0] + word[1..].ToLowerInvariant()), source, tokens, start, index, titleCaseFallback, results);
            }

            foreach (var prefix in node.Prefixes.Keys.Where(k => k.Joint == joint).Select(k => k.Word).OrderByDescending(w => w.Length))
            {
                if (word.StartsWith(prefix, StringComparison.Ordinal))
                {
                    Follow(node.Prefixes, (joint, prefix), source, tokens, start, index, titleCaseFallback, results);
                }
            }
        }

        private static bool Follow(Dictionary<(Joint, string), Node> edges, (Joint, string) key, string source, Token[] tokens, int start, int index, bool titleCaseFallback, List<(int, string)> results)
        {
            if (!edges.TryGetValue(key, out var child))
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

        private sealed class Node
        {
            public Dictionary<(Joint Joint, string Word), Node> Words { get; } = [];

            public Dictionary<(Joint Joint, string Word), Node> Prefixes { get; } = [];

            public string? Value { get; set; }
        }
    }
}
