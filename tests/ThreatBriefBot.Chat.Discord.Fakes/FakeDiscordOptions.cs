namespace ThreatBriefBot.Chat.Discord.Fakes;

/// <summary>Timings and limits of the fake; tests shorten them so that protocol paths run in milliseconds.</summary>
public sealed class FakeDiscordOptions
{
    /// <summary>Sent in Hello; the fake closes with 4009 when no heartbeat arrives for about 1.5 of these.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// No heartbeat for this long (since the last one, or Hello) closes the connection with 4009 and ends the session;
    /// null means 1.5 × <see cref="HeartbeatInterval"/>. Widen it for clients that run on a fake clock or a loaded machine.
    /// </summary>
    public TimeSpan? HeartbeatTimeout { get; set; }

    /// <summary>A callback later than this after the interaction was sent gets 404 code 10062.</summary>
    public TimeSpan InteractionDeadline { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A follow-up later than this after the interaction was sent gets 401 code 50027.</summary>
    public TimeSpan InteractionTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Requests per window in each route bucket (keyed by route and channel or webhook id).</summary>
    public int MessageBucketLimit { get; set; } = 5;

    /// <summary>Length of a bucket window, i.e. X-RateLimit-Reset-After of a fresh bucket.</summary>
    public TimeSpan MessageBucketWindow { get; set; } = TimeSpan.FromSeconds(1);

    public int GlobalLimitPerSecond { get; set; } = 50;

    /// <summary>How long after op 7 Reconnect the fake closes the connection itself (Discord: "a few seconds").</summary>
    public TimeSpan ReconnectCloseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a nonce sent with enforce_nonce returns the existing message ("the past few minutes").</summary>
    public TimeSpan NonceWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The fake's clock for deadlines, windows and heartbeat timeouts.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
