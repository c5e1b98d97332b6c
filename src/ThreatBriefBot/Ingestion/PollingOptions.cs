using System.ComponentModel.DataAnnotations;

namespace ThreatBriefBot.Ingestion;

/// <summary>The "Polling" section: how many feeds at once, and how a failing feed backs off.</summary>
internal sealed class PollingOptions
{
    public const string SectionName = "Polling";

    /// <summary>Poll every feed once as the worker starts, besides its cron, so a first run has items at once.</summary>
    public bool PollOnStart { get; set; } = true;

    /// <summary>Feeds polled at the same time by one poll cycle (the CLI's <c>poll</c>, a benchmark).</summary>
    [Range(1, 256)]
    public int MaxConcurrentPolls { get; set; } = 16;

    /// <summary>The wait after a feed's first failure; it doubles with each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a failing feed waits between tries: it keeps being tried, never dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxFailureBackoff { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>The "Alerts" section: where operators hear about feeds that keep failing.</summary>
internal sealed class AlertsOptions
{
    public const string SectionName = "Alerts";

    /// <summary>Consecutive failures after which a feed is reported (log warning, and the ops channel if set).</summary>
    [Range(1, 1000)]
    public int FeedFailureThreshold { get; set; } = 5;

    /// <summary>The ops channel's platform; with <see cref="Channel"/> empty, alerts go to the log only.</summary>
    public Core.Chat.ChatPlatform Platform { get; set; } = Core.Chat.ChatPlatform.Console;

    /// <summary>The ops channel, e.g. "stderr" on the console or a channel id; empty for none.</summary>
    public string Channel { get; set; } = "";
}
