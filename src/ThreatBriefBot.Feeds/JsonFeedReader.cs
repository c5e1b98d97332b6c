using System.Globalization;
using System.Text.Json;

namespace ThreatBriefBot.Feeds;

/// <summary>Reads JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1).</summary>
internal static class JsonFeedReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64,
    };

    public static ParsedFeed Read(string json, string encoding, Uri? documentUri)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            throw new FeedParseException("not a feed: invalid JSON (" + ex.Message.Split('\n')[0].TrimEnd('.') + ")");
        }

        using (document)
        {
            var root = document.RootElement;
            var version = root.ValueKind == JsonValueKind.Object ? String(root, "version") : null;
            if (version is null || !version.Contains("jsonfeed.org", StringComparison.OrdinalIgnoreCase))
            {
                throw new FeedParseException("not a feed: JSON without a jsonfeed.org version");
            }

            var feedBase = documentUri ?? (Uri.TryCreate(String(root, "feed_url"), UriKind.Absolute, out var feedUrl) ? feedUrl : null);
            var entries = new List<ParsedEntry>();
            if (root.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
                {
                    entries.Add(ReadItem(item, feedBase));
                }
            }

            return new ParsedFeed(
                version.TrimEnd('/').EndsWith("1.1", StringComparison.Ordinal) ? "json11" : "json10",
                encoding,
                false,
                null,
                Plain(String(root, "title")),
                Absolute(String(root, "home_page_url"), feedBase),
                Sanitize(String(root, "description"), null, feedBase),
                null,
                entries);
        }
    }

    private static ParsedEntry ReadItem(JsonElement item, Uri? baseUri)
    {
        var content = Sanitize(String(item, "content_html"), String(item, "content_text"), baseUri);
        var summary = Sanitize(null, String(item, "summary"), baseUri);
        var tags = item.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!.Trim()).Where(x => x.Length > 0).ToList()
            : [];
        var enclosures = new List<ParsedEnclosure>();
        if (item.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in attachments.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object))
            {
                if (Absolute(String(a, "url"), baseUri) is { } url)
                {
                    enclosures.Add(new ParsedEnclosure(url, String(a, "mime_type"), String(a, "size_in_bytes")));
                }
            }
        }

        return new ParsedEntry(
            String(item, "id"),
            Plain(String(item, "title")),
            Absolute(String(item, "url") ?? String(item, "external_url"), baseUri),
            FeedDates.Parse(String(item, "date_published")),
            FeedDates.Parse(String(item, "date_modified")),
            summary ?? content,
            content,
            Author(item),
            tags,
            enclosures)
        {
            PublishedRaw = String(item, "date_published"),
            UpdatedRaw = String(item, "date_modified"),
        };
    }

    private static string? Author(JsonElement item)
    {
        if (item.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            var first = authors.EnumerateArray().FirstOrDefault(a => a.ValueKind == JsonValueKind.Object);
            if (first.ValueKind == JsonValueKind.Object && String(first, "name") is { } name)
            {
                return name;
            }
        }

        return item.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object ? String(author, "name") : null;
    }

    private static string? Sanitize(string? html, string? text, Uri? baseUri) =>
        html is not null ? FeedHtml.Sanitize(html, baseUri) : text is not null ? FeedHtml.Sanitize(FeedHtml.FromPlainText(text), baseUri) : null;

    private static string? Plain(string? html) => html is null ? null : FeedHtml.ToPlainText(html);

    private static string? Absolute(string? url, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        url = url.Trim();
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && !url.StartsWith('/'))
        {
            return absolute.Scheme is "http" or "https" ? url : null;
        }

        return baseUri is not null && Uri.TryCreate(baseUri, url, out var combined) ? combined.AbsoluteUri : url;
    }

    /// <summary>A string or number property as text; anything else is absent.</summary>
    private static string? String(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString(),
            JsonValueKind.Number => value.GetRawText().ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
