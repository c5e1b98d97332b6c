using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace ThreatBriefBot.Feeds;

/// <summary>
/// Builds an element tree with <see cref="XmlReader"/>, safely (no DTD processing, no resolver, so no external entity
/// is fetched and none is expanded) and forgivingly: when the XML breaks, what was read up to the break is kept.
/// </summary>
internal static partial class XmlTree
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    /// <summary>Deeper elements are dropped: no feed needs them, and walking them recursively could exhaust the stack.</summary>
    internal const int MaxDepth = 256;

    /// <summary>Marks elements whose end tag never came because the document ended or broke first.</summary>
    internal sealed class Unclosed;

    /// <param name="Error">Why reading stopped early; the tree holds what was read before.</param>
    /// <param name="Repair">What had to be fixed for the document to be read at all.</param>
    public sealed record Result(XElement? Root, string? Error, string? Repair = null);

    public static Result Load(string xml)
    {
        // An undeclared namespace prefix is a common publisher mistake; declaring it lets the rest be read.
        for (var attempt = 0; ; attempt++)
        {
            var result = LoadOnce(xml);
            var m = result.Error is null || attempt >= 8 ? null : UndeclaredPrefixRegex().Match(result.Error);
            if (m is not { Success: true })
            {
                return attempt == 0 ? result : result with { Repair = "undeclared namespace prefix" };
            }

            var declared = DeclarePrefix(xml, m.Groups[1].Value);
            if (declared is null)
            {
                return result;
            }

            xml = declared;
        }
    }

    private static Result LoadOnce(string xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            // Nothing is expanded with the DTD ignored; the limit is there should that ever change.
            MaxCharactersFromEntities = 1024,
            CheckCharacters = false,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };

        XElement? root = null;
        string? repair = null;
        var stack = new Stack<XElement>();
        try
        {
            using var stringReader = new StringReader(xml);
            using var reader = XmlReader.Create(stringReader, settings);
            var more = reader.Read();
            while (more)
            {
                if (reader.NodeType == XmlNodeType.Element && stack.Count >= MaxDepth)
                {
                    // Skip leaves the reader on the next node already.
                    repair = $"elements nested deeper than {MaxDepth} levels were dropped";
                    reader.Skip();
                    more = !reader.EOF;
                    continue;
                }

                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                        while (reader.MoveToNextAttribute())
                        {
                            // The root's default namespace is kept: it tells RSS 0.90 from 1.0 when the channel is missing.
                            if (reader.NamespaceURI != XmlnsNamespace)
                            {
                                element.SetAttributeValue(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value);
                            }
                            else if (root is null && stack.Count == 0 && reader.LocalName == "xmlns")
                            {
                                element.SetAttributeValue("xmlns", reader.Value);
                            }
                        }

                        reader.MoveToElement();
                        if (stack.TryPeek(out var parent))
                        {
                            parent.Add(element);
                        }
                        else if (root is null)
                        {
                            root = element;
                        }
                        else
                        {
                            // A second root element: the document is over as far as a feed goes.
                            return new Result(root, "more than one root element", repair);
                        }

                        if (!reader.IsEmptyElement)
                        {
                            stack.Push(element);
                        }

                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        if (stack.TryPeek(out var holder))
                        {
                            holder.Add(new XText(reader.Value));
                        }

                        break;
                    case XmlNodeType.EndElement:
                        stack.Pop();
                        break;
                }

                more = reader.Read();
            }

            return new Result(root, null, repair);
        }
        catch (XmlException ex)
        {
            foreach (var open in stack)
            {
                open.AddAnnotation(new Unclosed());
            }

            return new Result(root, FirstLine(ex.Message), repair);
        }
    }

    private static string? DeclarePrefix(string xml, string prefix)
    {
        var m = RootStartRegex().Match(xml);
        if (!m.Success || xml.Contains("xmlns:" + prefix + "=", StringComparison.Ordinal))
        {
            return null;
        }

        var insertAt = m.Index + m.Length;
        return xml.Insert(insertAt, $" xmlns:{prefix}=\"urn:undeclared:{prefix}\"");
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }

    [GeneratedRegex(@"'([^']+)' is an undeclared (?:namespace|prefix)", RegexOptions.CultureInvariant)]
    private static partial Regex UndeclaredPrefixRegex();

    // The root element's start tag name: the first element after the prolog.
    [GeneratedRegex(@"<(?![?!/])[A-Za-z_][\w.\-]*(?::[\w.\-]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex RootStartRegex();
}
