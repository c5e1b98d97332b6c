using System.ComponentModel.DataAnnotations;

namespace ThreatBriefBot.Feeds;

/// <summary>The "Feeds" section: which feeds to poll, how often, and how politely.</summary>
public sealed class FeedsOptions
{
    public const string SectionName = "Feeds";

    /// <summary>Quartz cron (seconds first) for feeds without a cron of their own.</summary>
    public string DefaultCron { get; set; } = "0 */15 * * * ?";

    /// <summary>Sent on every request, so publishers can tell who polls them.</summary>
    public string UserAgent { get; set; } = "ThreatBriefBot/1.0 (+https://github.com/threatbriefbot)";

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A document larger than this (after decompression) is refused, not read.</summary>
    [Range(1024, 512L * 1024 * 1024)]
    public long MaxDocumentBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>How long to wait for a connection to a publisher; the whole request is bounded by <see cref="RequestTimeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Retries of a GET whose connection failed or broke before an answer (a reset, a refused connection), with
    /// jittered backoff from <see cref="RetryBackoff"/>, all within <see cref="RequestTimeout"/>. An answer, even
    /// 5xx or 429, is never retried in the request: it goes into the feed's poll state.
    /// </summary>
    [Range(0, 5)]
    public int MaxTransientRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Redirects followed per request; more is an error, as is a loop.</summary>
    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Requests in flight to one host at most, so many feeds of one publisher do not hammer it.</summary>
    [Range(1, 64)]
    public int MaxRequestsPerHost { get; set; } = 2;

    /// <summary>The least time between the starts of two requests to one host.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan PerHostMinInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Requests in flight to all hosts together.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentRequests { get; set; } = 32;

    /// <summary>
    /// The longest a publisher's caching headers or ttl may put off the next poll: a year-long max-age must not
    /// silence a feed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxHonouredFreshness { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The feeds from configuration. More can be added at run time with <c>feeds add</c>.</summary>
    public List<FeedOptions> Items { get; set; } = [];
}

/// <summary>One configured feed.</summary>
public sealed class FeedOptions
{
    /// <summary>Unique name, shown as the item's source.</summary>
    public string Name { get; set; } = "";

    /// <summary>An http(s) URL, or a file path (relative paths are read from the configuration file's folder).</summary>
    public string Source { get; set; } = "";

    /// <summary>Its own poll schedule; empty for <see cref="FeedsOptions.DefaultCron"/>.</summary>
    public string? Cron { get; set; }
}
