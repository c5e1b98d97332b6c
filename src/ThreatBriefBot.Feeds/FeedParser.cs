using Microsoft.Extensions.Options;

namespace ThreatBriefBot.Feeds;

/// <summary>
/// Reads RSS 0.90–2.0, RSS 1.0 RDF, Atom 0.3/1.0 and JSON Feed 1.0/1.1 from bytes. Malformed but readable documents
/// come back with <see cref="ParsedFeed.Bozo"/> set; a document that is not a feed throws <see cref="FeedParseException"/>.
/// </summary>
public sealed class FeedParser(IOptions<FeedsOptions> options)
{
    private readonly long _maxDocumentBytes = options.Value.MaxDocumentBytes;

    /// <param name="document">The raw bytes, as fetched.</param>
    /// <param name="contentType">The HTTP Content-Type, whose charset wins over the XML declaration.</param>
    /// <param name="documentUri">Where the document came from, against which relative URLs are resolved.</param>
    public ParsedFeed Parse(ReadOnlySpan<byte> document, string? contentType = null, Uri? documentUri = null)
    {
        if (document.Length > _maxDocumentBytes)
        {
            throw new FeedParseException($"too large: more than {_maxDocumentBytes} bytes");
        }

        var decoded = FeedDecoder.Decode(document, contentType);
        var text = decoded.Text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n', '\0');
        if (text.Length == 0)
        {
            throw new FeedParseException("not a feed: the document is empty");
        }

        if (text[0] is '{' or '[')
        {
            return JsonFeedReader.Read(text, decoded.Encoding, documentUri);
        }

        if (text[0] != '<')
        {
            throw new FeedParseException("not a feed: the document is neither XML nor JSON");
        }

        var (repaired, repairReason) = XmlRepair.Repair(XmlRepair.StripDeclaration(text));
        var tree = XmlTree.Load(repaired);
        if (tree.Root is null)
        {
            throw new FeedParseException("not a feed: " + (tree.Error ?? "no root element"));
        }

        var format = XmlFeedReader.DetectFormat(tree.Root)
            ?? throw new FeedParseException(tree.Root.Name.LocalName.Equals("html", StringComparison.OrdinalIgnoreCase)
                ? "not a feed: an HTML page"
                : $"not a feed: unknown root element <{tree.Root.Name.LocalName}>");

        var (head, entries) = XmlFeedReader.Read(tree.Root, documentUri);
        if (tree.Error is not null && entries.Count == 0 && head.Title is null && head.Link is null)
        {
            throw new FeedParseException("not a feed: " + tree.Error);
        }

        var bozoReason = tree.Error ?? tree.Repair ?? repairReason ?? decoded.BozoReason;
        return new ParsedFeed(format, decoded.Encoding, bozoReason is not null, bozoReason, head.Title, head.Link, head.Subtitle, head.Updated.Value, entries)
        {
            Published = head.Published.Value,
            UpdatedRaw = head.Updated.Raw,
            PublishedRaw = head.Published.Raw,
            TtlMinutes = head.TtlMinutes,
        };
    }
}
