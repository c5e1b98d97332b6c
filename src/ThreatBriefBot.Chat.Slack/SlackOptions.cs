using System.ComponentModel.DataAnnotations;

namespace ThreatBriefBot.Chat.Slack;

/// <summary>How slash commands reach the bot.</summary>
public enum SlackMode
{
    /// <summary>Over a WebSocket the bot opens (apps.connections.open): no public URL needed.</summary>
    SocketMode,

    /// <summary>Slack POSTs signed requests to <see cref="SlackOptions.CommandsListenUrl"/>.</summary>
    Http,
}

/// <summary>
/// The "Slack" section. The bot token, app-level token, signing secret and webhook URLs are secrets: set them in
/// the environment (<c>Slack__BotToken</c>, <c>Slack__Webhooks__ops</c> …) or user secrets, never in a file.
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    public bool Enabled { get; set; }

    public SlackMode Mode { get; set; } = SlackMode.SocketMode;

    /// <summary>The Web API root; must end with '/'.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>Bot token (xoxb-…): posts messages and reads user groups. Secret.</summary>
    public string? BotToken { get; set; }

    /// <summary>App-level token (xapp-…, scope connections:write) for Socket Mode. Secret.</summary>
    public string? AppToken { get; set; }

    /// <summary>Checks that HTTP slash commands come from Slack. Secret.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Users (U…) who may subscribe and unsubscribe channels from Slack.</summary>
    public List<string> AdminUserIds { get; set; } = [];

    /// <summary>A user group (S…) whose members may subscribe and unsubscribe channels from Slack.</summary>
    public string? AdminUserGroup { get; set; }

    /// <summary>Incoming-webhook URLs by name; a subscription's channel "webhook:&lt;name&gt;" posts there. Secret.</summary>
    public Dictionary<string, string> Webhooks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where the HTTP slash-command endpoint listens (Mode Http); commands go to <c>/slack/commands</c>.</summary>
    public Uri CommandsListenUrl { get; set; } = new("http://127.0.0.1:5081");

    /// <summary>
    /// How long a slash command may run and still have its reply in the acknowledgement. Slack wants the
    /// acknowledgement within 3 s; a slower reply goes to the command's response_url afterwards.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:02.500")]
    public TimeSpan AckPayloadDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The least time between two messages to one channel (Slack allows about one a second).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MinPostInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Tries of one request that is safe to repeat (reads, apps.connections.open) when Slack fails it (5xx, a timeout,
    /// an HTML page, internal_error); a post is tried once, as its outcome is then unknown. 429s are waited out apart from these.
    /// </summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first pause after a failure; it doubles (jittered) with each further try. Also the wait after a 429 without Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many 429s in a row one request waits out before giving up (the next digest tries again).</summary>
    [Range(1, 100)]
    public int MaxRateLimitWaits { get; set; } = 20;

    /// <summary>How long one attempt may take; a post that times out is not sent again (its outcome is unknown).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages asked for per page when looking a message up (conversations.history, conversations.replies); Slack suggests at most 200.</summary>
    [Range(1, 999)]
    public int LookupPageSize { get; set; } = 200;

    /// <summary>Pages read at most by one lookup; a lookup that stops with more to read says so.</summary>
    [Range(1, 100)]
    public int MaxLookupPages { get; set; } = 10;

    /// <summary>The first pause before reconnecting Socket Mode after a failure; doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the client pings the socket; with <see cref="KeepAliveTimeout"/> it finds half-open connections.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the members of <see cref="AdminUserGroup"/> are remembered before asking Slack again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan AdminGroupCacheDuration { get; set; } = TimeSpan.FromMinutes(1);
}
