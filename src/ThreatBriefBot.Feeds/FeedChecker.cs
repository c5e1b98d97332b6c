namespace ThreatBriefBot.Feeds;

/// <summary>The outcome of <c>feeds check</c> for one argument.</summary>
/// <param name="Ok">False only when nothing could be read; <see cref="Error"/> then says why.</param>
public sealed record FeedCheckResult(string Source, bool Ok, ParsedFeed? Feed, string? Error);

/// <summary>Fetches and parses a feed without storing anything, for <c>feeds check</c>.</summary>
public sealed class FeedChecker(FeedFetcher fetcher)
{
    public async Task<FeedCheckResult> CheckAsync(string source, CancellationToken cancellationToken)
    {
        var result = await fetcher.FetchAsync(source, null, cancellationToken);
        return new FeedCheckResult(source, result.Status == FeedFetchStatus.Ok, result.Feed, result.Error);
    }
}
