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
internal readonly record struct Token(int Start, int Length, Joint Joint)
{
    public int End => Start + Length;
}

/// <summary>
/// Splits text into words the same way for rules and for items, so a rule phrase and the text it
/// should match always agree. Words are runs of letters and digits; dotted initialisms ("U.S.",
/// "D.C.") stay one word; a possessive "'s" is dropped so "Japan's" reads as "Japan".
/// </summary>
internal static class TextTokenizer
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<Token> Tokenize(ReadOnlySpan<char> text)
    {
        var tokens = new List<Token>(Math.Min(text.Length / 5, 4096) + 1);
        var i = 0;
        var separatorStart = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            i = ScanWord(text, i);
            var joint = tokens.Count == 0 ? Joint.Space : JointOf(text[separatorStart..start]);
            tokens.Add(new Token(start, i - start, joint));
            i = SkipPossessive(text, i);
            separatorStart = i;
        }

        return tokens;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ScanWord(ReadOnlySpan<char> text, int i)
    {
        var runStart = i;
        while (i < text.Length && char.IsLetterOrDigit(text[i]))
        {
            i++;
        }

        // "U.S." and "D.C.": single letters each followed by a dot form one word ("U.S").
        while (i - runStart == 1 && i + 1 < text.Length && text[i] == '.' && char.IsLetter(text[i + 1])
               && (i + 2 == text.Length || !char.IsLetterOrDigit(text[i + 2])))
        {
            i += 2;
            runStart = i - 1;
        }

        return i;
    }

    private static int SkipPossessive(ReadOnlySpan<char> text, int i)
    {
        if (i + 1 < text.Length && text[i] is '\'' or '\u2019' && text[i + 1] is 's' or 'S'
            && (i + 2 == text.Length || !char.IsLetterOrDigit(text[i + 2])))
        {
            return i + 2;
        }

        return i;
    }

    private static Joint JointOf(ReadOnlySpan<char> separator)
    {
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
