using System.ComponentModel.DataAnnotations;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Subscriptions;

namespace ThreatBriefBot.Core.Digests;

/// <summary>The "Digests" section: digest size, windows, and the subscriptions ops define.</summary>
public sealed class DigestOptions
{
    public const string SectionName = "Digests";

    /// <summary>Items a <c>brief</c> shows per topic; the rest are counted as "and K more". Scheduled digests show every item.</summary>
    [Range(1, 25)]
    public int MaxItemsPerTopic { get; set; } = 5;

    /// <summary>
    /// Items one scheduled digest delivers, over as many messages as they need. A larger backlog (after an outage)
    /// goes out oldest first, the rest with the next digests: never counted away unseen.
    /// </summary>
    [Range(1, 2000)]
    public int MaxItemsPerDigest { get; set; } = 300;

    /// <summary>How often the worker retries digests that were decided but not fully posted (a platform outage, a crash).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryUnfinishedEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How far back <c>brief</c> looks when no window is given.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan BriefWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How far back a subscription's first digest looks, before it has a digest to continue from.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan FirstDigestWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Items published longer ago than this are stored and searchable but never delivered in a digest, so the
    /// backlog of a newly added feed does not flood channels.
    /// </summary>
    [Range(typeof(TimeSpan), "00:10:00", "3650.00:00:00")]
    public TimeSpan MaxItemAge { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The schedule given to subscriptions made from chat.</summary>
    public string DefaultCron { get; set; } = "0 0 8 * * ?";

    /// <summary>The time zone given to subscriptions made from chat.</summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    public List<SubscriptionOptions> Subscriptions { get; set; } = [];
}

/// <summary>One subscription defined in configuration.</summary>
public sealed class SubscriptionOptions
{
    /// <summary>Unique name; also the subscription's id.</summary>
    public string Name { get; set; } = "";

    public ChatPlatform Platform { get; set; } = ChatPlatform.Console;

    /// <summary>The channel id on the platform ("stdout" for the console).</summary>
    public string Channel { get; set; } = "";

    public List<string> Topics { get; set; } = [];

    public List<string> Countries { get; set; } = [];

    /// <summary>Quartz cron (seconds first).</summary>
    public string Cron { get; set; } = "";

    public string TimeZone { get; set; } = "UTC";

    /// <summary>Overrides <see cref="DigestOptions.MaxItemAge"/> for this subscription.</summary>
    public TimeSpan? MaxItemAge { get; set; }

    public Subscription ToSubscription() => new(
        Name,
        new ChatTarget(Platform, Channel),
        [.. Topics],
        [.. Countries.Select(c => c.ToUpperInvariant())],
        Cron,
        TimeZone,
        FromConfiguration: true,
        MaxItemAge: MaxItemAge);
}
