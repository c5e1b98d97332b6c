namespace ThreatBriefBot.Feeds;

/// <summary>A feed as read: titles are plain text, summaries and content are sanitized HTML.</summary>
/// <param name="Format">One of rss090, rss091, rss092, rss20, rss10, atom03, atom10, json10, json11.</param>
/// <param name="Encoding">The character encoding actually used to decode the bytes (lower-case web name).</param>
/// <param name="Bozo">True when the document was not well-formed and was read by recovery.</param>
public sealed record ParsedFeed(
    string Format,
    string Encoding,
    bool Bozo,
    string? BozoReason,
    string? Title,
    string? Link,
    string? Subtitle,
    DateTimeOffset? Updated,
    IReadOnlyList<ParsedEntry> Entries)
{
    public DateTimeOffset? Published { get; init; }

    /// <summary>The dates as the feed wrote them, to see why one could not be read.</summary>
    public string? UpdatedRaw { get; init; }

    public string? PublishedRaw { get; init; }

    /// <summary>RSS &lt;ttl&gt;, in minutes: how long the publisher says the feed may be cached.</summary>
    public int? TtlMinutes { get; init; }
}

/// <param name="Id">The entry's guid or id, as given.</param>
/// <param name="Title">Plain text.</param>
/// <param name="Summary">Sanitized HTML.</param>
/// <param name="Content">Sanitized HTML.</param>
public sealed record ParsedEntry(
    string? Id,
    string? Title,
    string? Link,
    DateTimeOffset? Published,
    DateTimeOffset? Updated,
    string? Summary,
    string? Content,
    string? Author,
    IReadOnlyList<string> Categories,
    IReadOnlyList<ParsedEnclosure> Enclosures)
{
    /// <summary>The date to show for the entry: when it was published, else when it was last updated.</summary>
    public DateTimeOffset? Date => Published ?? Updated;

    /// <summary>The dates as the feed wrote them, to see why one could not be read.</summary>
    public string? PublishedRaw { get; init; }

    public string? UpdatedRaw { get; init; }
}

public sealed record ParsedEnclosure(string Url, string? Type, string? Length);

/// <summary>The document is not a feed at all (or nothing in it could be read); the message is one line.</summary>
public sealed class FeedParseException(string message) : Exception(message);
