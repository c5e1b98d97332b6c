using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ThreatBriefBot.Feeds;

/// <summary>
/// The pre-pass that makes common not-quite-XML readable: HTML named entities that XML does not know become numeric
/// references and a bare <c>&amp;</c> becomes <c>&amp;amp;</c>. CDATA sections, comments and the DOCTYPE are left alone.
/// Entities declared in a DOCTYPE are never expanded: their references become literal text.
/// </summary>
internal static partial class XmlRepair
{
    /// <summary>
    /// Drops the XML declaration: the text is already decoded, and a declaration after a comment or whitespace
    /// (which some publishers write) would otherwise stop the reader.
    /// </summary>
    public static string StripDeclaration(string xml)
    {
        var m = DeclarationRegex().Match(xml);
        return m.Success ? xml.Remove(m.Groups["decl"].Index, m.Groups["decl"].Length) : xml;
    }

    /// <summary>Returns the repaired text and what was repaired (null when nothing needed it).</summary>
    public static (string Text, string? Reason) Repair(string xml)
    {
        var declared = DeclaredTextEntities(xml);
        StringBuilder? output = null;
        string? reason = null;
        var copiedUpTo = 0;
        var i = 0;
        while (i < xml.Length)
        {
            var c = xml[i];
            if (c == '<')
            {
                i = SkipMarkupDeclaration(xml, i);
                continue;
            }

            if (c != '&')
            {
                i++;
                continue;
            }

            var end = ReferenceEnd(xml, i);
            string? replacement = null;
            if (end < 0)
            {
                replacement = "&amp;";
                reason ??= "unescaped '&'";
                end = i + 1;
            }
            else
            {
                var name = xml.AsSpan(i + 1, end - i - 2);
                if (declared.TryGetValue(name.ToString(), out var value))
                {
                    replacement = value;
                }
                else if (name[0] != '#' && name is not ("amp" or "lt" or "gt" or "quot" or "apos"))
                {
                    var decoded = WebUtility.HtmlDecode(xml.Substring(i, end - i));
                    replacement = decoded.Length > 0 && decoded[0] != '&'
                        ? string.Concat(decoded.EnumerateRunes().Select(r => "&#" + r.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) + ";"))
                        : "&amp;" + name.ToString() + ";";
                    reason ??= $"undeclared entity '&{name};'";
                }
            }

            if (replacement is not null)
            {
                output ??= new StringBuilder(xml.Length + 64);
                output.Append(xml, copiedUpTo, i - copiedUpTo).Append(replacement);
                copiedUpTo = end;
            }

            i = end;
        }

        if (output is null)
        {
            return (xml, null);
        }

        output.Append(xml, copiedUpTo, xml.Length - copiedUpTo);
        return (output.ToString(), reason);
    }

    /// <summary>
    /// Entities the DOCTYPE declares as plain text (no references, no markup, nothing external): these are expanded,
    /// once, as literal text. Anything else declared there is never expanded, so entity bombs and XXE stay inert.
    /// </summary>
    private static Dictionary<string, string> DeclaredTextEntities(string xml)
    {
        var entities = new Dictionary<string, string>(StringComparer.Ordinal);
        var doctype = DoctypeRegex().Match(xml);
        if (!doctype.Success)
        {
            return entities;
        }

        foreach (Match m in EntityDeclarationRegex().Matches(doctype.Value))
        {
            entities.TryAdd(m.Groups["name"].Value, m.Groups["value"].Value.Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&apos;", StringComparison.Ordinal));
        }

        return entities;
    }

    /// <summary>The index just past a well-formed reference starting at <paramref name="start"/>, or -1.</summary>
    private static int ReferenceEnd(string xml, int start)
    {
        var j = start + 1;
        if (j < xml.Length && xml[j] == '#')
        {
            j++;
            var hex = j < xml.Length && (xml[j] == 'x' || xml[j] == 'X');
            if (hex)
            {
                j++;
            }

            var digitsStart = j;
            while (j < xml.Length && (hex ? char.IsAsciiHexDigit(xml[j]) : char.IsAsciiDigit(xml[j])))
            {
                j++;
            }

            return j > digitsStart && j < xml.Length && xml[j] == ';' ? j + 1 : -1;
        }

        if (j >= xml.Length || !(char.IsAsciiLetter(xml[j]) || xml[j] == '_'))
        {
            return -1;
        }

        while (j < xml.Length && (char.IsAsciiLetterOrDigit(xml[j]) || xml[j] is '_' or '-' or '.'))
        {
            j++;
        }

        return j < xml.Length && xml[j] == ';' ? j + 1 : -1;
    }

    /// <summary>Skips a CDATA section, comment, DOCTYPE or processing instruction; else just the '&lt;'.</summary>
    private static int SkipMarkupDeclaration(string xml, int i)
    {
        static int After(string xml, int from, string terminator)
        {
            var k = xml.IndexOf(terminator, from, StringComparison.Ordinal);
            return k < 0 ? xml.Length : k + terminator.Length;
        }

        var rest = xml.AsSpan(i);
        if (rest.StartsWith("<![CDATA[", StringComparison.Ordinal))
        {
            return After(xml, i + 9, "]]>");
        }

        if (rest.StartsWith("<!--", StringComparison.Ordinal))
        {
            return After(xml, i + 4, "-->");
        }

        if (rest.StartsWith("<?", StringComparison.Ordinal))
        {
            return After(xml, i + 2, "?>");
        }

        if (rest.StartsWith("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
        {
            var subset = xml.IndexOf('[', i);
            var close = xml.IndexOf('>', i);
            return subset >= 0 && (close < 0 || subset < close) ? After(xml, After(xml, subset, "]"), ">") : After(xml, i, ">");
        }

        // Inside a tag, attribute values may hold references too, so only the '<' is skipped.
        return i + 1;
    }

    [GeneratedRegex(@"\A\s*(?:<!--.*?-->\s*)*(?<decl><\?xml\s[^>]*?\?>)", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex DeclarationRegex();

    [GeneratedRegex(@"<!DOCTYPE[^\[>]*\[.*?\]\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DoctypeRegex();

    [GeneratedRegex(@"<!ENTITY\s+(?<name>[A-Za-z_][\w.\-]*)\s+(?<q>[""'])(?<value>[^""'&%<]*)\k<q>\s*>", RegexOptions.CultureInvariant)]
    private static partial Regex EntityDeclarationRegex();
}
