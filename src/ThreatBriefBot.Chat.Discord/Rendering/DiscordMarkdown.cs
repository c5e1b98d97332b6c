using System.Text;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Discord.Rendering;

/// <summary>
/// Makes untrusted text inert in Discord markdown: no formatting, no masked links, no mentions, no headings or
/// lists. Only the renderer writes markup, and only around text that went through here.
/// </summary>
internal static class DiscordMarkdown
{
    private const char ZeroWidthSpace = '\u200B';

    /// <summary>Markdown characters escaped anywhere in a line; '&lt;' so no &lt;@id&gt;, &lt;#id&gt; or &lt;t:…&gt; forms.</summary>
    private const string Special = "\\*_~`|[]()<>";

    /// <summary>Characters that start a block (heading, list, quote) only at the start of a line.</summary>
    private const string LineStart = "#->+";

    /// <summary>Cleans (<see cref="ChatText.Clean"/>) and escapes one line of text.</summary>
    public static string Escape(string? text)
    {
        var clean = ChatText.Clean(text);
        var escaped = new StringBuilder(clean.Length + 8);
        for (var i = 0; i < clean.Length; i++)
        {
            var c = clean[i];
            if (Special.Contains(c, StringComparison.Ordinal) || (i == 0 && LineStart.Contains(c, StringComparison.Ordinal)))
            {
                escaped.Append('\\').Append(c);
            }
            else if (c == '@')
            {
                // "@everyone", "@here", "@role": a zero-width space after '@' stops Discord reading a mention.
                escaped.Append(c).Append(ZeroWidthSpace);
            }
            else if (c == '.' && i > 0 && i == LeadingDigits(clean))
            {
                // "1. " at the start of a line would become a numbered list.
                escaped.Append('\\').Append(c);
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>Escapes each line of a multi-line text (a command's reply) and keeps the line breaks.</summary>
    public static string EscapeLines(string? text) =>
        string.Join('\n', (text ?? "").Split('\n').Select(Escape).Where(line => line.Length > 0));

    /// <summary>
    /// The URL as a link target, or null when it is not an absolute http(s) URL: feed text can never make a
    /// javascript:, discord:// or relative link. Parentheses and angle brackets are percent-encoded so the URL
    /// cannot close the markup around it.
    /// </summary>
    public static string? LinkTarget(string? url, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(url)
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return null;
        }

        var target = uri.AbsoluteUri
            .Replace("(", "%28", StringComparison.Ordinal)
            .Replace(")", "%29", StringComparison.Ordinal)
            .Replace("<", "%3C", StringComparison.Ordinal)
            .Replace(">", "%3E", StringComparison.Ordinal)
            .Replace(" ", "%20", StringComparison.Ordinal);
        return target.Length <= maxLength ? target : null;
    }

    /// <summary>Shortens escaped text to <paramref name="maxLength"/> without leaving a dangling escape.</summary>
    public static string Fit(string escaped, int maxLength)
    {
        if (escaped.Length <= maxLength)
        {
            return escaped;
        }

        var cut = ChatText.Truncate(escaped, maxLength);
        var body = cut[..^1];
        var trailing = body.Length - body.TrimEnd('\\').Length;
        return trailing % 2 == 1 ? body[..^1] + "…" : cut;
    }

    private static int LeadingDigits(string text)
    {
        var count = 0;
        while (count < text.Length && char.IsAsciiDigit(text[count]))
        {
            count++;
        }

        return count;
    }
}
