using System.Net.Http.Headers;

namespace ThreatBriefBot.Core.Http;

/// <summary>
/// The <c>Retry-After</c> of a 429 or 503, for every client the bot has (feeds, Discord, Slack): a delay or an HTTP
/// date, bounded so a hostile or broken server can neither make a wait negative nor park a client for days.
/// </summary>
public static class RetryAfterHeader
{
    /// <summary>Longer waits than this are read as this: the next scheduled try comes sooner anyway.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    /// <summary>The wait the server asked for, or null when it asked none (or nothing readable).</summary>
    public static TimeSpan? Parse(RetryConditionHeaderValue? header, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - timeProvider.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        return wait is null ? null : wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
    }

    /// <summary>A wait given in seconds, as in a JSON body (Discord's <c>retry_after</c>), bounded the same way.</summary>
    public static TimeSpan? FromSeconds(double? seconds) =>
        seconds is not { } value || double.IsNaN(value) ? null
        : value <= 0 ? TimeSpan.Zero
        : value >= MaxWait.TotalSeconds ? MaxWait
        : TimeSpan.FromSeconds(value);
}
