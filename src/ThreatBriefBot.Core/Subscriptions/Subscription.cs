using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Core.Subscriptions;

/// <summary>A channel's standing order for a digest.</summary>
/// <param name="Id">Stable id: the configured name, or one made when a chat user subscribed.</param>
/// <param name="Topics">Topics to include; never empty.</param>
/// <param name="Countries">When not empty, only items about one of these countries.</param>
/// <param name="Cron">Quartz cron expression (seconds first).</param>
/// <param name="TimeZone">IANA or Windows time zone id the cron is read in.</param>
/// <param name="FromConfiguration">True for subscriptions ops define in appsettings; chat users cannot remove those.</param>
/// <param name="CreatedAt">When a chat user subscribed; items published before it are not delivered. Null for configured ones.</param>
/// <param name="MaxItemAge">Items published longer ago than this are not delivered; null for <c>Digests:MaxItemAge</c>.</param>
public sealed record Subscription(
    string Id,
    ChatTarget Target,
    IReadOnlyList<string> Topics,
    IReadOnlyList<string> Countries,
    string Cron,
    string TimeZone,
    bool FromConfiguration,
    DateTimeOffset? CreatedAt = null,
    TimeSpan? MaxItemAge = null);
