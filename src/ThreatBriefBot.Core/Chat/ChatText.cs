using System.Text;

namespace ThreatBriefBot.Core.Chat;

/// <summary>Text hygiene shared by every renderer: feed text is untrusted.</summary>
public static class ChatText
{
    /// <summary>
    /// Removes control characters (terminal escape sequences among them), bidirectional overrides that can make
    /// a link read as another, and zero-width characters that hide text; folds runs of white space.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (IsInvisibleFormatting(c))
            {
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Shortens to at most <paramref name="maxLength"/> characters at a word boundary, with an ellipsis.</summary>
    public static string Truncate(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', Math.Max(0, maxLength - 1));
        return (cut > maxLength / 2 ? text[..cut] : text[..(maxLength - 1)]).TrimEnd() + "…";
    }

    private static bool IsInvisibleFormatting(char c) => c is
        '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' // zero-width
        or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C'; // bidi controls
}
