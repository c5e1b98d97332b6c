namespace ThreatBriefBot.Feeds;

/// <summary>The outcome of <c>feeds check</c> for one argument.</summary>
/// <param name="Ok">False only when nothing could be read; <see cref="Error"/> then says why.</param>
public sealed record FeedCheckResult(string Source, bool Ok, ParsedFeed? Feed, string? Error)
{
    /// <summary>True when the document was not well-formed: read by recovery, or not readable at all.</summary>
    public bool Bozo => Feed?.Bozo ?? NotAFeed;

    /// <summary>A document arrived but was not a readable feed (as opposed to not found, or an HTTP error).</summary>
    public bool NotAFeed { get; init; }
}

/// <summary>Fetches and parses a feed without storing anything, for <c>feeds check</c>.</summary>
public sealed class FeedChecker(FeedFetcher fetcher)
{
    public async Task<FeedCheckResult> CheckAsync(string source, CancellationToken cancellationToken)
    {
        var result = await fetcher.FetchAsync(source, null, cancellationToken);
        return new FeedCheckResult(source, result.Status == FeedFetchStatus.Ok, result.Feed, result.Error) { NotAFeed = result.NotAFeed };
    }
}
