namespace ThreatBriefBot.Core.Feeds;

/// <summary>A feed to poll.</summary>
/// <param name="Name">Unique name, shown as the item's source.</param>
/// <param name="Source">An http(s) URL or a local file path.</param>
/// <param name="Cron">Its own poll schedule, or null for the default.</param>
/// <param name="FromConfiguration">True when defined in appsettings; false when added with <c>feeds add</c>.</param>
public sealed record FeedDefinition(string Name, string Source, string? Cron, bool FromConfiguration);

/// <summary>What the bot remembers about polling one feed.</summary>
/// <param name="NextPollAt">No poll before this: the publisher's caching headers or ttl, a Retry-After, or the back-off after failures.</param>
/// <param name="RedirectedTo">Where the feed moved for good (a permanent redirect); polled instead of the configured address.</param>
public sealed record FeedPollState(
    string FeedName,
    string? ETag,
    string? LastModified,
    DateTimeOffset? LastAttempt,
    DateTimeOffset? LastSuccess,
    string? LastError,
    int ConsecutiveFailures,
    DateTimeOffset? NextPollAt = null,
    string? RedirectedTo = null)
{
    public static FeedPollState New(string feedName) => new(feedName, null, null, null, null, null, 0);
}
