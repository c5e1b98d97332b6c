namespace ThreatBriefBot.Chat.Slack.Fakes;

/// <summary>Timings and limits of the fake; tests shorten them so nothing waits on Slack's real-world values.</summary>
public sealed class FakeSlackOptions
{
    /// <summary>An envelope not acked within this is redelivered (and a slash command has timed out for the user).</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Refill interval of the per (method, channel) chat.postMessage bucket and of each incoming webhook.</summary>
    public TimeSpan PostMessageInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Calls allowed back to back before the bucket runs dry (Slack tolerates short bursts).</summary>
    public int PostMessageBurst { get; set; } = 3;

    /// <summary>Retry-After on 429 answers, in whole seconds as Slack sends it.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>How often the server pings each Socket Mode connection.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After a refresh_requested or link_disabled disconnect message, the socket closes this much later.</summary>
    public TimeSpan DisconnectCloseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Redeliveries of an unacked envelope before the fake gives up (the Events API retries up to three times).</summary>
    public int MaxRedeliveries { get; set; } = 3;
}
