using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Ingestion;

/// <summary>When a feed may be polled next. Pure, so every rule is tested without a clock.</summary>
internal static class PollBackoff
{
    /// <summary>Spread of the jitter: ±20 %, so feeds that failed together do not retry together.</summary>
    private const double JitterSpread = 0.2;

    /// <summary>
    /// After the <paramref name="failures"/>-th failure in a row: the back-off doubles from the base up to the cap,
    /// with jitter, and is never shorter than what the server asked for with Retry-After.
    /// </summary>
    /// <param name="jitter">A number in [0, 1): where in the jitter band this retry falls.</param>
    public static DateTimeOffset AfterFailure(DateTimeOffset now, int failures, TimeSpan? retryAfter, PollingOptions options, double jitter)
    {
        ArgumentNullException.ThrowIfNull(options);
        var backoff = RetryBackoff.Doubling(options.FailureBackoff, failures, options.MaxFailureBackoff);
        backoff *= 1 - JitterSpread + (2 * JitterSpread * jitter);
        return now + (retryAfter is { } asked && asked > backoff ? asked : backoff);
    }

    /// <summary>
    /// After a success: not before the publisher says the feed is fresh (Cache-Control max-age, Expires, RSS ttl)
    /// or asked us to wait; null when neither says anything, and the feed's cron alone decides.
    /// </summary>
    public static DateTimeOffset? AfterSuccess(DateTimeOffset now, DateTimeOffset? freshUntil, TimeSpan? retryAfter)
    {
        var asked = retryAfter is { } wait ? now + wait : (DateTimeOffset?)null;
        var floor = new[] { freshUntil, asked }.Max();
        return floor > now ? floor : null;
    }
}
