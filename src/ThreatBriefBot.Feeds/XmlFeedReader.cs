using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ThreatBriefBot.Feeds;

/// <summary>Reads RSS 0.9x/2.0, RSS 1.0/0.90 RDF and Atom 0.3/1.0 from an element tree.</summary>
internal sealed partial class XmlFeedReader
{
    private const string Atom10 = "http://www.w3.org/2005/Atom";
    private const string Atom03 = "http://purl.org/atom/ns#";
    private const string Rss10 = "http://purl.org/rss/1.0/";
    private const string Rss090 = "http://my.netscape.com/rdf/simple/0.9/";
    private const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private const string Dc = "http://purl.org/dc/elements/1.1/";
    private const string DcTerms = "http://purl.org/dc/terms/";
    private const string ContentModule = "http://purl.org/rss/1.0/modules/content/";
    private const string Xhtml = "http://www.w3.org/1999/xhtml";
    private const string Itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";

    private readonly Uri? _documentUri;
    private readonly HashSet<string> _coreNamespaces;
    private readonly bool _atom;
    private readonly string _atomNamespace;
    private readonly Dictionary<XElement, Uri?> _bases = [];

    private XmlFeedReader(XElement root, Uri? documentUri)
    {
        _documentUri = documentUri;
        _atom = root.Name.LocalName == "feed";
        _atomNamespace = _atom ? root.Name.NamespaceName : Atom10;
        _coreNamespaces = _atom
            ? [root.Name.NamespaceName]
            : ["", root.Name.NamespaceName, Rss10, Rss090, "http://backend.userland.com/rss2", "http://blogs.law.harvard.edu/tech/rss"];
        _coreNamespaces.Remove(Rdf);
    }

    /// <summary>The format name for a root element, or null when the root is not a feed's.</summary>
    public static string? DetectFormat(XElement root)
    {
        switch (root.Name.LocalName)
        {
            case "rss":
                var version = ((string?)root.Attribute("version") ?? "").Trim();
                return version switch
                {
                    "0.90" or "0.9" => "rss090",
                    "0.91" => "rss091",
                    "0.92" => "rss092",
                    _ => "rss20",
                };
            case "RDF":
                if ((string?)root.Attribute("xmlns") == Rss090)
                {
                    return "rss090";
                }

                var channel = root.Elements().FirstOrDefault(e => e.Name.LocalName == "channel");
                return channel?.Name.NamespaceName == Rss090
                    || root.Elements().Any(e => e.Name.LocalName == "item" && e.Name.NamespaceName == Rss090) ? "rss090" : "rss10";
            case "feed":
                return root.Name.NamespaceName == Atom03 || (string?)root.Attribute("version") == "0.3" ? "atom03" : "atom10";
            case "channel":
                return "rss091";
            default:
                return null;
        }
    }

    public static (FeedHead Head, List<ParsedEntry> Entries) Read(XElement root, Uri? documentUri)
    {
        var reader = new XmlFeedReader(root, documentUri);
        return reader._atom ? reader.ReadAtom(root) : reader.ReadRss(root);
    }

    internal sealed record FeedHead(string? Title, string? Link, string? Subtitle, RawDate Updated, RawDate Published)
    {
        /// <summary>RSS &lt;ttl&gt;: minutes the channel may be cached before it is fetched again.</summary>
        public int? TtlMinutes { get; init; }
    }

    /// <summary>A date as written in the feed, and what it reads as.</summary>
    internal readonly record struct RawDate(string? Raw)
    {
        public DateTimeOffset? Value => FeedDates.Parse(Raw);
    }

    private (FeedHead, List<ParsedEntry>) ReadRss(XElement root)
    {
        var channel = root.Name.LocalName == "channel" ? root : Core(root, "channel") ?? root;
        var head = new FeedHead(
            PlainTitle(Core(channel, "title") ?? Child(channel, Dc, "title")),
            RssLink(channel),
            Html(Core(channel, "description") ?? Child(channel, Dc, "description") ?? Child(channel, Itunes, "subtitle")),
            Date(Core(channel, "lastBuildDate"), Child(channel, Dc, "date"), Child(channel, DcTerms, "modified"), Child(channel, _atomNamespace, "updated")),
            Date(Core(channel, "pubDate"), Child(channel, DcTerms, "issued")))
        {
            TtlMinutes = int.TryParse(Core(channel, "ttl")?.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) ? ttl : null,
        };

        // RSS 1.0 puts items beside the channel; some RSS 0.9x documents do too.
        var items = channel.Elements().Concat(channel == root ? [] : root.Elements())
            .Where(e => e.Name.LocalName == "item" && _coreNamespaces.Contains(e.Name.NamespaceName));
        var entries = new List<ParsedEntry>();
        foreach (var item in items)
        {
            if (IsUnfinished(item))
            {
                continue;
            }

            var guid = Core(item, "guid");
            var id = NullIfEmpty(guid?.Value.Trim()) ?? NullIfEmpty((string?)item.Attribute(XName.Get("about", Rdf)));
            var link = RssLink(item);
            if (link is null && guid is not null && !"false".Equals(((string?)guid.Attribute("isPermaLink"))?.Trim(), StringComparison.OrdinalIgnoreCase)
                && id is not null && AbsoluteRegex().IsMatch(id))
            {
                link = id;
            }

            var summary = Html(Core(item, "description") ?? Child(item, Dc, "description"));
            var content = Html(Child(item, ContentModule, "encoded") ?? Child(item, Xhtml, "body") ?? Core(item, "fullitem") ?? Child(item, _atomNamespace, "content"));
            var author = Text(Core(item, "author")) ?? Text(Child(item, Dc, "creator")) ?? Text(Child(item, Itunes, "author"));
            // A made-up <tags> element holds a comma-separated list; some publishers use it instead of <category>.
            var categories = (Core(item, "tags")?.Value.Split(',') ?? [])
                .Concat(item.Elements()
                    .Where(e => (e.Name.LocalName == "category" && _coreNamespaces.Contains(e.Name.NamespaceName))
                        || (e.Name.LocalName == "subject" && e.Name.NamespaceName == Dc))
                    .Select(e => e.Value))
                .Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
            var enclosures = item.Elements().Where(e => e.Name.LocalName == "enclosure" && _coreNamespaces.Contains(e.Name.NamespaceName))
                .Select(e => (Element: e, Url: (string?)e.Attribute("url")))
                .Where(e => !string.IsNullOrWhiteSpace(e.Url))
                .Select(e => new ParsedEnclosure(Resolve(e.Element, e.Url!.Trim()), NullIfEmpty((string?)e.Element.Attribute("type")), NullIfEmpty((string?)e.Element.Attribute("length"))))
                .ToList();
            var published = Date(Core(item, "pubDate"), Child(item, DcTerms, "issued"), Child(item, _atomNamespace, "published"));
            var updated = Date(Child(item, Dc, "date"), Child(item, DcTerms, "modified"), Child(item, _atomNamespace, "updated"));
            entries.Add(new ParsedEntry(
                id,
                PlainTitle(Core(item, "title") ?? Child(item, Dc, "title")),
                link,
                published.Value,
                updated.Value,
                summary ?? content,
                content,
                author,
                categories,
                enclosures) { PublishedRaw = published.Raw, UpdatedRaw = updated.Raw });
        }

        return (head, entries);
    }

    private (FeedHead, List<ParsedEntry>) ReadAtom(XElement feed)
    {
        var head = new FeedHead(
            PlainTitle(Atom(feed, "title")),
            AtomLink(feed, "alternate"),
            Html(Atom(feed, "subtitle") ?? Atom(feed, "tagline")),
            Date(Atom(feed, "updated"), Atom(feed, "modified"), Child(feed, Dc, "date")),
            Date(Atom(feed, "published"), Atom(feed, "issued")));

        var entries = new List<ParsedEntry>();
        foreach (var entry in feed.Elements(XName.Get("entry", _atomNamespace)))
        {
            if (IsUnfinished(entry))
            {
                continue;
            }

            var summary = Html(Atom(entry, "summary"));
            var content = Html(Atom(entry, "content"));
            var author = Atom(entry, "author") is { } a ? Text(Atom(a, "name")) ?? Text(Atom(a, "email")) : Text(Child(entry, Dc, "creator"));
            var categories = entry.Elements(XName.Get("category", _atomNamespace))
                .Select(c => ((string?)c.Attribute("term") ?? "").Trim())
                .Concat(entry.Elements(XName.Get("subject", Dc)).Select(e => e.Value.Trim()))
                .Where(v => v.Length > 0).ToList();
            var enclosures = entry.Elements(XName.Get("link", _atomNamespace))
                .Where(l => "enclosure".Equals(((string?)l.Attribute("rel"))?.Trim(), StringComparison.OrdinalIgnoreCase)
                    && !string.IsNullOrWhiteSpace((string?)l.Attribute("href")))
                .Select(l => new ParsedEnclosure(Resolve(l, ((string)l.Attribute("href")!).Trim()), NullIfEmpty((string?)l.Attribute("type")), NullIfEmpty((string?)l.Attribute("length"))))
                .ToList();
            var published = Date(Atom(entry, "published"), Atom(entry, "issued"), Atom(entry, "created"));
            var updated = Date(Atom(entry, "updated"), Atom(entry, "modified"));
            entries.Add(new ParsedEntry(
                NullIfEmpty(Atom(entry, "id")?.Value.Trim()),
                PlainTitle(Atom(entry, "title")),
                AtomLink(entry, "alternate"),
                published.Value,
                updated.Value,
                summary ?? content,
                content,
                author,
                categories,
                enclosures) { PublishedRaw = published.Raw, UpdatedRaw = updated.Raw });
        }

        return (head, entries);
    }

    private static bool IsUnfinished(XElement e) => e.Annotation<XmlTree.Unclosed>() is not null;

    private XElement? Core(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName && _coreNamespaces.Contains(e.Name.NamespaceName));

    private XElement? Atom(XElement parent, string localName) => parent.Element(XName.Get(localName, _atomNamespace));

    private static XElement? Child(XElement parent, string ns, string localName) => parent.Element(XName.Get(localName, ns));

    private string? RssLink(XElement parent)
    {
        var link = parent.Elements().FirstOrDefault(e => e.Name.LocalName == "link" && _coreNamespaces.Contains(e.Name.NamespaceName)
            && e.Value.Trim().Length > 0);
        return link is not null ? Resolve(link, link.Value.Trim()) : AtomLink(parent, "alternate");
    }

    private string? AtomLink(XElement parent, string rel)
    {
        var links = parent.Elements(XName.Get("link", _atomNamespace))
            .Where(l => !string.IsNullOrWhiteSpace(Href(l)))
            .Where(l => rel.Equals(((string?)l.Attribute("rel"))?.Trim() ?? "alternate", StringComparison.OrdinalIgnoreCase))
            .ToList();
        // Of several alternates, the HTML one is the page a reader wants.
        var best = links.FirstOrDefault(l => ((string?)l.Attribute("type"))?.Contains("html", StringComparison.OrdinalIgnoreCase) == true) ?? links.FirstOrDefault();
        return best is null ? null : Resolve(best, Href(best)!.Trim());
    }

    // Some publishers put the URL in the element rather than in href.
    private static string? Href(XElement link) => (string?)link.Attribute("href") ?? (link.HasElements ? null : link.Value);

    /// <summary>The first of the candidate date elements that is present (not the first readable one).</summary>
    private static RawDate Date(params XElement?[] candidates) =>
        new(candidates.FirstOrDefault(c => c is not null)?.Value.Trim());

    private static string? Text(XElement? e) => e is null ? null : NullIfEmpty(FeedHtml.CollapseWhitespace(e.Value));

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private string? PlainTitle(XElement? e)
    {
        var markup = Markup(e);
        return markup is null ? null : FeedHtml.ToPlainText(markup);
    }

    private string? Html(XElement? e)
    {
        var markup = Markup(e);
        return markup is null ? null : FeedHtml.Sanitize(markup, BaseOf(e!));
    }

    /// <summary>An element's content as HTML, following Atom's type and mode attributes and RSS habits.</summary>
    private string? Markup(XElement? e) => RawMarkup(e) is { } markup ? FeedDecoder.RepairDoubleEncoding(FeedDecoder.Demoronize(markup)) : null;

    private string? RawMarkup(XElement? e)
    {
        if (e is null)
        {
            return null;
        }

        var type = (((string?)e.Attribute("type")) ?? "").Trim().ToLowerInvariant();
        var mode = (((string?)e.Attribute("mode")) ?? "").Trim().ToLowerInvariant();
        var hasElements = e.HasElements;
        if (mode == "base64" || (_atom && type.Contains('/', StringComparison.Ordinal) && !type.StartsWith("text/", StringComparison.Ordinal)
            && !type.EndsWith("xml", StringComparison.Ordinal) && !hasElements))
        {
            var decoded = DecodeBase64(e.Value);
            if (decoded is not null)
            {
                return type is "text" or "text/plain" ? FeedHtml.FromPlainText(decoded) : decoded;
            }
        }

        if (hasElements)
        {
            // xhtml content wraps its markup in one div, which is not part of the content.
            var only = e.Elements().ToList();
            var container = type == "xhtml" && only.Count == 1 && only[0].Name.LocalName == "div" && string.IsNullOrWhiteSpace(string.Concat(e.Nodes().OfType<XText>().Select(t => t.Value)))
                ? only[0]
                : e;
            return InnerMarkup(container);
        }

        if (_atom && (type is "text" or "text/plain" || (type.Length == 0 && mode != "escaped" && e.Name.NamespaceName == _atomNamespace)))
        {
            return FeedHtml.FromPlainText(e.Value);
        }

        return e.Value;
    }

    private static string? DecodeBase64(string value)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(WhitespaceRegex().Replace(value, "")));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string InnerMarkup(XElement e)
    {
        var builder = new StringBuilder();
        foreach (var node in e.Nodes())
        {
            AppendNode(builder, node);
        }

        return builder.ToString();
    }

    private static void AppendNode(StringBuilder builder, XNode node)
    {
        if (node is XText text)
        {
            builder.Append(Escape(text.Value, false));
            return;
        }

        if (node is not XElement element)
        {
            return;
        }

        var name = element.Name.LocalName;
        builder.Append('<').Append(name);
        foreach (var attribute in element.Attributes())
        {
            builder.Append(' ').Append(attribute.Name.LocalName).Append("=\"").Append(Escape(attribute.Value, true)).Append('"');
        }

        if (FeedHtml.VoidElements.Contains(name) && !element.Nodes().Any())
        {
            builder.Append(" />");
            return;
        }

        builder.Append('>');
        foreach (var child in element.Nodes())
        {
            AppendNode(builder, child);
        }

        builder.Append("</").Append(name).Append('>');
    }

    private static string Escape(string value, bool attribute)
    {
        var escaped = value.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
        return attribute ? escaped.Replace("\"", "&quot;", StringComparison.Ordinal) : escaped;
    }

    /// <summary>The base URI in effect at an element: its xml:base, resolved against its parent's, then the document's.</summary>
    private Uri? BaseOf(XElement e)
    {
        if (_bases.TryGetValue(e, out var cached))
        {
            return cached;
        }

        var parentBase = e.Parent is { } parent ? BaseOf(parent) : _documentUri;
        var own = ((string?)e.Attribute(XNamespace.Xml + "base"))?.Trim();
        var result = parentBase;
        if (!string.IsNullOrEmpty(own))
        {
            result = Combine(parentBase, own) is { } combined && IsSafeBase(combined) ? combined : parentBase;
        }

        _bases[e] = result;
        return result;
    }

    private static bool IsSafeBase(Uri uri) => uri.Scheme is "http" or "https" or "ftp" or "file";

    private static Uri? Combine(Uri? baseUri, string reference)
    {
        if (AbsoluteRegex().IsMatch(reference))
        {
            return Uri.TryCreate(reference, UriKind.Absolute, out var absolute) ? absolute : null;
        }

        return baseUri is not null && Uri.TryCreate(baseUri, reference, out var combined) ? combined : null;
    }

    /// <summary>A URL from the feed, made absolute against the element's base when it is relative.</summary>
    private string Resolve(XElement e, string url)
    {
        if (AbsoluteRegex().IsMatch(url))
        {
            return url;
        }

        return Combine(BaseOf(e), url)?.AbsoluteUri ?? url;
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:", RegexOptions.CultureInvariant)]
    private static partial Regex AbsoluteRegex();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespaceRegex();
}
