using System.Text.Json;
using System.Text.Json.Serialization;

namespace ThreatBriefBot.Feeds;

/// <summary>Renders a check result as the one JSON line that <c>feeds check --format json</c> prints (docs/cli-contract.md).</summary>
public static class FeedCheckJson
{
    public static string Serialize(FeedCheckResult result)
    {
        var feed = result.Feed;
        var line = new FeedCheckLine(
            result.Source,
            result.Ok,
            result.Bozo,
            result.Error,
            feed?.BozoReason,
            feed?.Format,
            feed?.Encoding,
            feed is null ? null : new FeedHeadLine(feed.Title, feed.Link, feed.Subtitle, Date(feed.Updated), Date(feed.Published), feed.UpdatedRaw, feed.PublishedRaw),
            feed?.Entries.Select(e => new EntryLine(
                e.Id, e.Title, e.Link, Date(e.Published), Date(e.Updated), e.Summary, e.Content, e.Author, e.Categories,
                [.. e.Enclosures.Select(x => new EnclosureLine(x.Url, x.Type, x.Length))], e.PublishedRaw, e.UpdatedRaw)).ToList() ?? []);
        return JsonSerializer.Serialize(line, FeedCheckJsonContext.Default.FeedCheckLine);
    }

    private static string? Date(DateTimeOffset? value) => value is { } v ? FeedDates.Format(v) : null;
}

internal sealed record FeedCheckLine(
    string Source,
    bool Ok,
    bool Bozo,
    string? Error,
    string? BozoReason,
    string? Format,
    string? Encoding,
    FeedHeadLine? Feed,
    IReadOnlyList<EntryLine> Entries);

internal sealed record FeedHeadLine(
    string? Title,
    string? Link,
    string? Subtitle,
    string? Updated,
    string? Published,
    string? UpdatedRaw,
    string? PublishedRaw);

internal sealed record EntryLine(
    string? Id,
    string? Title,
    string? Link,
    string? Published,
    string? Updated,
    string? Summary,
    string? Content,
    string? Author,
    IReadOnlyList<string> Categories,
    IReadOnlyList<EnclosureLine> Enclosures,
    string? PublishedRaw,
    string? UpdatedRaw);

internal sealed record EnclosureLine(string Url, string? Type, string? Length);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FeedCheckLine))]
internal sealed partial class FeedCheckJsonContext : JsonSerializerContext;
