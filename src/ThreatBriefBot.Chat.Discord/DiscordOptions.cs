namespace ThreatBriefBot.Chat.Discord;

/// <summary>How slash commands reach the bot: over the Gateway WebSocket, or as signed HTTP POSTs to a listener.</summary>
public enum DiscordMode
{
    Gateway,
    Http,
}

/// <summary>The "Discord" section. The bot token and webhook URLs are secrets: environment or user secrets only.</summary>
public sealed class DiscordOptions
{
    public const string SectionName = "Discord";

    public bool Enabled { get; set; }

    /// <summary>The application's snowflake id, for command registration and interaction follow-ups.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>The application's Ed25519 public key (64 hex characters); needed in <see cref="DiscordMode.Http"/>.</summary>
    public string? PublicKey { get; set; }

    /// <summary>Guilds to register commands in (instantly visible); empty for global commands.</summary>
    public List<string> GuildIds { get; set; } = [];

    public DiscordMode Mode { get; set; } = DiscordMode.Gateway;

    /// <summary>Discord's REST base, with the version; must end with '/'.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://discord.com/api/v10/");

    /// <summary>Overrides the URL GET gateway/bot returns; "?v=10&amp;encoding=json" is added by the adapter.</summary>
    public Uri? GatewayUrl { get; set; }

    /// <summary>Secret: from the environment variable Discord__BotToken or user secrets.</summary>
    public string? BotToken { get; set; }

    /// <summary>Named webhook URLs, addressed as "webhook:&lt;name&gt;" channels. Secrets, like the token.</summary>
    public Dictionary<string, string> Webhooks { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where the HTTP interactions listener binds in <see cref="DiscordMode.Http"/>; Discord posts to /discord/interactions.</summary>
    public Uri InteractionsListenUrl { get; set; } = new("http://127.0.0.1:5080");

    /// <summary>
    /// How long a command may run before the bot sends a deferred response: Discord drops an interaction not
    /// answered within 3 s, so this keeps a margin for the round trip.
    /// </summary>
    public TimeSpan DeferAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one REST request may take before it counts as timed out (and, if idempotent, is retried).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Retries of an idempotent request (GET, PUT, PATCH, a message with its nonce) that failed transiently (5xx, a
    /// timeout, a broken connection), with jittered doubling backoff from <see cref="RetryBackoff"/>.
    /// </summary>
    public int MaxTransientRetries { get; set; } = 3;

    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Discord's global limit per bot; interaction callbacks and follow-ups are not bound by it.</summary>
    public int GlobalRequestsPerSecond { get; set; } = 50;

    /// <summary>
    /// 401, 403 and 429 responses allowed in ten minutes before the bot stops calling Discord until the window
    /// slides: Discord bans an IP for a while at 10,000.
    /// </summary>
    public int InvalidRequestLimit { get; set; } = 1000;

    /// <summary>The least wait before reconnecting the gateway; doubles on repeated failures up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(2);
}
