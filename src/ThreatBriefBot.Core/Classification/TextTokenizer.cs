using System.Runtime.CompilerServices;

namespace ThreatBriefBot.Core.Classification;

/// <summary>How a token is joined to the one before it; phrases match across some joints and not others.</summary>
internal enum Joint : byte
{
    /// <summary>Whitespace, quotes or apostrophes: a phrase written with a space matches here.</summary>
    Space,

    /// <summary>A bare hyphen ("cyber-attack", "trade-in"): matches a space or a hyphen in a rule.</summary>
    Hyphen,

    /// <summary>Sentence or clause punctuation: only a rule written with that punctuation ("N. Korea") spans it.</summary>
    Break,
}

/// <summary>A word in a text: a slice of the source, so tokenizing allocates nothing per word.</summary>
/// <param name="FoldedKey">The <see cref="WordKey"/> of the word lower-cased, as topic rules match it.</param>
/// <param name="ExactKey">The <see cref="WordKey"/> of the word as written, as country names match it.</param>
internal readonly record struct Token(int Start, int Length, Joint Joint, ulong FoldedKey, ulong ExactKey)
{
    public int End => Start + Length;
}

/// <summary>
/// A 64-bit hash of a word's characters, extended one character at a time, so a word's key and the keys of its
/// prefixes come from one pass. The tokenizer computes every word's keys once; rule look-ups then cost one probe.
/// </summary>
internal static class WordKey
{
    public const ulong Empty = 0xCBF29CE484222325UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Add(ulong key, char c) => (key ^ c) * 0x100000001B3UL;

    public static ulong Of(ReadOnlySpan<char> word)
    {
        var key = Empty;
        foreach (var c in word)
        {
            key = Add(key, c);
        }

        return key;
    }

    /// <summary>Lower case as <see cref="MemoryExtensions.ToLowerInvariant"/> maps it, one character at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char Fold(char c) => (uint)(c - 'A') <= 'Z' - 'A' ? (char)(c | 0x20) : c < 128 ? c : char.ToLowerInvariant(c);
}

/// <summary>The words of one text, in a buffer that one thread reuses from text to text.</summary>
internal sealed class TokenList
{
    private const int InitialCapacity = 256;

    /// <summary>A buffer grown past this (by an unusually long text) is dropped when cleared, not kept for the thread's life.</summary>
    private const int MaxRetainedCapacity = 1 << 14;

    private Token[] _tokens = new Token[InitialCapacity];

    public int Count { get; private set; }

    public ReadOnlySpan<Token> Span => _tokens.AsSpan(0, Count);

    public Token this[int index] => Span[index];

    public void Clear()
    {
        Count = 0;
        if (_tokens.Length > MaxRetainedCapacity)
        {
            _tokens = new Token[InitialCapacity];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in Token token)
    {
        if (Count == _tokens.Length)
        {
            Array.Resize(ref _tokens, _tokens.Length * 2);
        }

        _tokens[Count++] = token;
    }
}

/// <summary>
/// Splits text into words the same way for rules and for items, so a rule phrase and the text it
/// should match always agree. Words are runs of letters and digits; dotted initialisms ("U.S.",
/// "D.C.") stay one word; a possessive "'s" is dropped so "Japan's" reads as "Japan".
/// </summary>
internal static class TextTokenizer
{
    public static TokenList Tokenize(ReadOnlySpan<char> text)
    {
        var tokens = new TokenList();
        Tokenize(text, tokens);
        return tokens;
    }

    /// <summary>Replaces the contents of <paramref name="tokens"/> with the words of <paramref name="text"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tokenize(ReadOnlySpan<char> text, TokenList tokens)
    {
        tokens.Clear();
        var i = 0;
        var separatorStart = 0;
        while (i < text.Length)
        {
            if (!IsWordChar(text[i]))
            {
                i++;
                continue;
            }

            // The word's keys are made as it is scanned, so its characters are read once.
            var start = i;
            var runStart = i;
            ulong folded = WordKey.Empty, exact = WordKey.Empty;
            while (true)
            {
                for (char c, fold; i < text.Length && (fold = WordFold(c = text[i])) != '\0'; i++)
                {
                    exact = WordKey.Add(exact, c);
                    folded = WordKey.Add(folded, fold);
                }

                // "U.S." and "D.C.": single letters each followed by a dot form one word ("U.S").
                if (i - runStart != 1 || i + 1 >= text.Length || text[i] != '.' || !char.IsLetter(text[i + 1])
                    || (i + 2 < text.Length && IsWordChar(text[i + 2])))
                {
                    break;
                }

                exact = WordKey.Add(exact, '.');
                folded = WordKey.Add(folded, '.');
                runStart = ++i;
            }

            var joint = tokens.Count == 0 ? Joint.Space : JointOf(text[separatorStart..start]);
            tokens.Add(new Token(start, i - start, joint, folded, exact));
            i = SkipPossessive(text, i);
            separatorStart = i;
        }
    }

    /// <summary>True when the word has letters and every letter is upper case ("TOKYO", "US").</summary>
    public static bool IsAllCaps(ReadOnlySpan<char> word)
    {
        var letters = 0;
        foreach (var c in word)
        {
            if (char.IsLetter(c))
            {
                if (!char.IsUpper(c))
                {
                    return false;
                }

                letters++;
            }
        }

        return letters > 0;
    }

    private static int SkipPossessive(ReadOnlySpan<char> text, int i)
    {
        if (i + 1 < text.Length && text[i] is '\'' or '\u2019' && text[i + 1] is 's' or 'S'
            && (i + 2 == text.Length || !IsWordChar(text[i + 2])))
        {
            return i + 2;
        }

        return i;
    }

    /// <summary><see cref="char.IsLetterOrDigit(char)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsWordChar(char c) => WordFold(c) != '\0';

    /// <summary>A letter or digit lower-cased (<see cref="WordKey.Fold"/>); '\0' for any other character. ASCII from a table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char WordFold(char c) => c < 128 ? (char)AsciiWordFold[c] : char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '\0';

    private static ReadOnlySpan<byte> AsciiWordFold =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 0, 0, 0, 0, 0, 0,
        0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0, 0, 0,
        0, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 0, 0, 0, 0, 0,
    ];

    private static Joint JointOf(ReadOnlySpan<char> separator)
    {
        // Most words are separated by one space.
        if (separator is [' '])
        {
            return Joint.Space;
        }

        bool hyphen = false, space = false, punctuation = false;
        foreach (var c in separator)
        {
            if (c is '-' or '\u2010' or '\u2011')
            {
                hyphen = true;
            }
            else if (c is '.' or ',' or ';' or ':' or '!' or '?' or '(' or ')' or '[' or ']' or '{' or '}' or '|' or '/'
                     or '\u2013' or '\u2014' or '\u2022' or '\n' or '\r')
            {
                punctuation = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                space = true;
            }
        }

        // "U.S.-China" is a compound; " - " between spaces is a dash, which ends a clause.
        if (hyphen && !space)
        {
            return Joint.Hyphen;
        }

        return punctuation || hyphen ? Joint.Break : Joint.Space;
    }
}
