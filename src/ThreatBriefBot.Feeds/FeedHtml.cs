using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Ganss.Xss;

namespace ThreatBriefBot.Feeds;

/// <summary>HTML from feeds: sanitized for display, or flattened to plain text for titles and chat.</summary>
internal static partial class FeedHtml
{
    // HtmlSanitizer's Sanitize is thread-safe; its default allow-list already drops script, style, iframe, object,
    // embed, on* attributes and every URL scheme but http(s) and mailto.
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string Sanitize(string html, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return html.Trim();
        }

        // Text without tags or references is already safe HTML, and most feed summaries are; parsing it is the slow part.
        if (html.AsSpan().IndexOfAny('<', '&') < 0)
        {
            return html.Replace(">", "&gt;", StringComparison.Ordinal);
        }

        // Parsing HTML costs time with the square of its nesting; absurdly deep markup is kept as its text only.
        if (NestingDepth(html) > XmlTree.MaxDepth)
        {
            return FromPlainText(ToPlainText(html));
        }

        var baseUrl = baseUri is { IsAbsoluteUri: true } && (baseUri.Scheme == Uri.UriSchemeHttp || baseUri.Scheme == Uri.UriSchemeHttps)
            ? baseUri.AbsoluteUri
            : "";
        return Sanitizer.Sanitize(html, baseUrl);
    }

    /// <summary>Escapes plain text so that it can stand where HTML is expected.</summary>
    public static string FromPlainText(string text) => WebUtility.HtmlEncode(text);

    /// <summary>
    /// Drops tags and the contents of script and style, decodes entities and collapses whitespace; block boundaries
    /// become a space so that paragraphs do not run together.
    /// </summary>
    public static string ToPlainText(string html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        var text = html.Contains('<', StringComparison.Ordinal)
            ? TagRegex().Replace(HiddenRegex().Replace(CommentRegex().Replace(html, " "), " "), m => IsInline(m.Groups[1].Value) ? "" : " ")
            : html;
        text = WebUtility.HtmlDecode(text);
        return CollapseWhitespace(text);
    }

    /// <summary>How deep start tags nest, estimated in one pass without parsing.</summary>
    private static int NestingDepth(string html)
    {
        int depth = 0, max = 0;
        foreach (Match tag in TagRegex().Matches(html))
        {
            var value = tag.ValueSpan;
            if (value.StartsWith("</", StringComparison.Ordinal))
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (tag.Groups[1].Success && !value.EndsWith("/>", StringComparison.Ordinal) && !VoidElements.Contains(tag.Groups[1].Value)
                && !SelfClosingInPractice.Contains(tag.Groups[1].Value))
            {
                max = Math.Max(max, ++depth);
            }
        }

        return max;
    }

    public static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) && c != '\u00A0')
            {
                pendingSpace = builder.Length > 0;
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

    internal static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    };

    // Often left open in old HTML; the parser closes them itself, so they do not nest.
    private static readonly HashSet<string> SelfClosingInPractice = new(StringComparer.OrdinalIgnoreCase) { "p", "li", "dt", "dd", "tr", "td", "th", "option" };

    private static bool IsInline(string tag) => tag.ToLowerInvariant() is
        "a" or "b" or "i" or "u" or "em" or "strong" or "span" or "abbr" or "acronym" or "cite" or "code" or "small"
        or "big" or "sub" or "sup" or "tt" or "font" or "q" or "s" or "strike" or "mark" or "kbd" or "var" or "dfn" or "ins" or "del";

    private static HtmlSanitizer CreateSanitizer()
    {
        // KeepChildNodes keeps the fallback text inside a removed iframe or object, as readers expect; the contents of
        // script, style and the like are code, not text, and go with their element.
        var sanitizer = new HtmlSanitizer { KeepChildNodes = true };
        sanitizer.AllowedSchemes.Add("mailto");
        // Feed content is read, not filled in: forms invite phishing, and positioned or background-loaded content can
        // cover the page around it or track its reader.
        foreach (var tag in (string[])["form", "input", "button", "select", "option", "optgroup", "textarea", "fieldset", "legend", "label"])
        {
            sanitizer.AllowedTags.Remove(tag);
        }

        foreach (var property in (string[])["position", "z-index", "background-image", "background", "cursor"])
        {
            sanitizer.AllowedCssProperties.Remove(property);
        }

        sanitizer.RemovingTag += (_, e) =>
        {
            if (e.Tag.LocalName is "script" or "style" or "template" or "noscript" or "xmp" or "textarea" or "title" or "head" or "svg" or "math")
            {
                e.Tag.InnerHtml = "";
            }
        };
        return sanitizer;
    }

    [GeneratedRegex(@"<!--.*?(?:-->|$)", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CommentRegex();

    [GeneratedRegex(@"<(script|style)\b[^<>]*>.*?(?:</\1\s*>|$)", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HiddenRegex();

    [GeneratedRegex(@"</?([A-Za-z][A-Za-z0-9:-]*)(?:\s(?:[^<>""']|""[^""]*""|'[^']*')*)?/?>|<![^<>]*>|<\?[^<>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex TagRegex();
}
