using System.Globalization;
using System.Text;

namespace ThreatBriefBot.Storage.Search;

/// <summary>
/// The words text search compares, folded here in the application for stored items and queries alike, so SQLite's FTS5
/// and PostgreSQL's tsvector index the very same words and <c>brief</c> finds the same items on both (ADR 7).
/// A word is a run of letters and digits; everything else separates words. Folding lower-cases, removes diacritics
/// (<c>Zürich</c> is <c>zurich</c>, <c>Łódź</c> is <c>lodz</c>) and caps a word's length under PostgreSQL's lexeme limit.
/// </summary>
internal static class SearchWords
{
    // 256 characters of at most 4 UTF-8 bytes stay under PostgreSQL's 2047-byte lexeme; no real word is longer.
    private const int MaxWordLength = 256;

    /// <summary>An item's words: its title's and its summary's, each once, space-separated.</summary>
    public static string OfItem(string title, string summary) =>
        string.Join(' ', Fold(title).Concat(Fold(summary)).Distinct(StringComparer.Ordinal));

    /// <summary>The folded words of <paramref name="text"/>, each once, in order.</summary>
    public static IReadOnlyList<string> Fold(string text)
    {
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (var rune in text.Normalize(NormalizationForm.FormD).EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(WithoutStroke(Rune.ToLowerInvariant(rune)).ToString());
                continue;
            }

            AddWord(words, seen, word);
        }

        AddWord(words, seen, word);
        return words;
    }

    private static void AddWord(List<string> words, HashSet<string> seen, StringBuilder word)
    {
        if (word.Length == 0)
        {
            return;
        }

        var folded = word.ToString().Normalize(NormalizationForm.FormC);
        if (folded.Length > MaxWordLength)
        {
            // Cut on a whole rune, so the word stays valid UTF-16 and PostgreSQL accepts it.
            var cut = char.IsHighSurrogate(folded[MaxWordLength - 1]) ? MaxWordLength - 1 : MaxWordLength;
            folded = folded[..cut];
        }

        if (seen.Add(folded))
        {
            words.Add(folded);
        }

        word.Clear();
    }

    // Letters whose diacritic is part of the letter, so Unicode decomposition leaves them whole.
    private static Rune WithoutStroke(Rune letter) => letter.Value switch
    {
        'ł' => new('l'),
        'ø' => new('o'),
        'đ' => new('d'),
        'ħ' => new('h'),
        'ı' => new('i'),
        _ => letter,
    };
}
