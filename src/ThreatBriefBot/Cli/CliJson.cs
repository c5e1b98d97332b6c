using System.Globalization;
using System.Text.Json.Serialization;
using ThreatBriefBot.Core.Commands;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Feeds;

namespace ThreatBriefBot.Cli;

// The JSON shapes of ../shared/docs/cli-contract.md. Dates are strings so they print exactly as YYYY-MM-DDTHH:MM:SSZ.
// A classify result line is written by ClassifyLine.WriteJson (per item, so without an intermediate record).

internal sealed record BriefJson(
    string Query,
    ResolvedJson Resolved,
    string Since,
    IReadOnlyList<SectionJson> Sections,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Suggestions = null)
{
    public static BriefJson From(BriefResult result) => new(
        result.Query.Raw,
        new ResolvedJson(result.Query.Countries, result.Query.Regions, result.Query.Topics, result.Query.Text),
        CliFormat.Date(result.Digest.Since),
        [.. result.Digest.Sections.Select(SectionJson.From)],
        result.Error,
        result.Error is null ? null : result.Suggestions);
}

internal sealed record ResolvedJson(IReadOnlyList<string> Countries, IReadOnlyList<string> Regions, IReadOnlyList<string> Topics, string? Text);

internal sealed record SectionJson(string Topic, int More, IReadOnlyList<BriefItemJson> Items)
{
    public static SectionJson From(DigestSection section) => new(
        section.Topic,
        section.More,
        [.. section.Items.Select(e => new BriefItemJson(
            e.Item.Id,
            e.Item.Title,
            e.Item.Link,
            e.Item.Published is { } published ? CliFormat.Date(published) : null,
            e.Item.Sources,
            [.. e.Item.Classification.Topics.Select(t => t.Topic)],
            e.Item.Classification.Countries,
            e.Item.Summary,
            Math.Round(e.Score, 3)))]);
}

internal sealed record BriefItemJson(
    string Id,
    string Title,
    string? Link,
    string? Published,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Topics,
    IReadOnlyList<string> Countries,
    string Summary,
    double Score);

internal sealed record ClassifyErrorJson([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Id, string Error);

internal sealed record FeedListJson(string Name, string Source, string Cron, bool FromConfiguration);

/// <summary>One feed's health, for <c>feeds status</c>.</summary>
internal sealed record FeedStatusJson(
    string Name,
    string Source,
    bool Healthy,
    string? LastSuccess,
    string? LastAttempt,
    string? LastError,
    int ConsecutiveFailures,
    string? NextPoll)
{
    public static FeedStatusJson From(FeedDefinition feed, FeedPollState state, DateTimeOffset? nextPoll) => new(
        feed.Name,
        state.RedirectedTo ?? feed.Source,
        state.ConsecutiveFailures == 0,
        DateOrNull(state.LastSuccess),
        DateOrNull(state.LastAttempt),
        state.LastError,
        state.ConsecutiveFailures,
        DateOrNull(nextPoll));

    private static string? DateOrNull(DateTimeOffset? value) => value is { } date ? CliFormat.Date(date) : null;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BriefJson))]
[JsonSerializable(typeof(ClassifyErrorJson))]
[JsonSerializable(typeof(FeedListJson))]
[JsonSerializable(typeof(FeedStatusJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

internal static class CliFormat
{
    public static string Date(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads "7d", "12h", "30m", "2w" or a TimeSpan such as "1.00:00:00".</summary>
    public static bool TryParseWindow(string text, out TimeSpan window)
    {
        window = default;
        var value = text.Trim().ToLowerInvariant();
        if (value.Length >= 2 && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            TimeSpan? parsed = value[^1] switch
            {
                'w' => TimeSpan.FromDays(7 * amount),
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => null,
            };
            if (parsed is { } unit)
            {
                window = unit;
                return true;
            }
        }

        return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out window) && window > TimeSpan.Zero;
    }
}
