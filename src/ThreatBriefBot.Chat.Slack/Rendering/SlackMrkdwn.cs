using System.Text;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack.Rendering;

/// <summary>
/// Slack's message markup rules for text from outside: only '&amp;', '&lt;' and '&gt;' are control characters
/// (platform-apis B4), so escaping exactly those makes feed text unable to mention, ping or build a link.
/// </summary>
internal static class SlackMrkdwn
{
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Cleans untrusted text, shortens it at a word boundary and escapes it, the result within <paramref name="maxLength"/>.</summary>
    public static string EscapeWithin(string? text, int maxLength)
    {
        var clean = ChatText.Clean(text);
        var budget = maxLength;
        while (budget >= 2)
        {
            var escaped = Escape(ChatText.Truncate(clean, budget));
            if (escaped.Length <= maxLength)
            {
                return escaped;
            }

            // Escapes lengthen the text; shorten the source in proportion and try again.
            budget = Math.Min(budget - 1, (int)((long)budget * maxLength / escaped.Length));
        }

        return "";
    }

    /// <summary>
    /// Escapes <paramref name="text"/> except the exact markup tokens the bot itself put in it (mentions of the
    /// configured admins), so a reply can mention them while whatever a user typed stays inert.
    /// </summary>
    public static string EscapeKeeping(string text, IReadOnlyCollection<string> ownMarkup)
    {
        if (ownMarkup.Count == 0)
        {
            return Escape(text);
        }

        var result = new StringBuilder(text.Length + 16);
        var i = 0;
        while (i < text.Length)
        {
            var token = ownMarkup.FirstOrDefault(t => t.Length > 0 && string.CompareOrdinal(text, i, t, 0, t.Length) == 0);
            if (token is not null)
            {
                result.Append(token);
                i += token.Length;
                continue;
            }

            result.Append(text[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                var c => c.ToString(),
            });
            i++;
        }

        return result.ToString();
    }

    /// <summary>
    /// A link <c>&lt;url|text&gt;</c> when <paramref name="url"/> is an http(s) URL short enough to keep, else just
    /// the text. The text must be escaped already; a '|' in it would end the link's target early, so it becomes '¦'.
    /// </summary>
    public static string Link(string? url, string escapedText, int maxUrlLength)
    {
        var text = escapedText.Replace('|', '¦');
        if (LinkTarget(url) is not { } target || target.Length > maxUrlLength)
        {
            return text;
        }

        return text.Length == 0 ? $"<{target}>" : $"<{target}|{text}>";
    }

    /// <summary>
    /// The URL as a link target: only absolute http(s); characters that would end or split the link are
    /// percent-encoded and '&amp;' escaped as everywhere in Slack text. Null when it cannot be a safe link.
    /// </summary>
    public static string? LinkTarget(string? url)
    {
        var trimmed = url?.Trim();
        if (string.IsNullOrEmpty(trimmed)
            || !Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }

        var target = new StringBuilder(uri.AbsoluteUri.Length);
        foreach (var c in uri.AbsoluteUri)
        {
            target.Append(c switch
            {
                '|' => "%7C",
                '<' => "%3C",
                '>' => "%3E",
                ' ' => "%20",
                '&' => "&amp;",
                _ when char.IsControl(c) || char.IsWhiteSpace(c) => "",
                _ => c.ToString(),
            });
        }

        return target.ToString();
    }
}
