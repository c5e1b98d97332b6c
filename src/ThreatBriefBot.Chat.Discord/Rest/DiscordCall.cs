using Polly;

namespace ThreatBriefBot.Chat.Discord.Rest;

/// <summary>Whose credentials a request carries, which decides its limits.</summary>
internal enum DiscordAccess
{
    /// <summary>Authorization: Bot token.</summary>
    Bot,

    /// <summary>Webhook URLs carry their own token.</summary>
    Anonymous,

    /// <summary>Interaction callbacks and follow-ups: the interaction token is the credential, and no global limit.</summary>
    Interaction,
}

/// <summary>
/// What the handlers need to know about one request, carried in its options: its rate-limit route, its access,
/// and whether it may be sent again after an unknown outcome (a GET, a PUT, a message POST with its nonce).
/// </summary>
internal sealed record DiscordCall(RateLimitRoute Route, DiscordAccess Access, bool Idempotent)
{
    public static readonly HttpRequestOptionsKey<DiscordCall> Key = new("ThreatBriefBot.Discord.Call");

    /// <summary>A 429's wait, as <see cref="DiscordRateLimiter.Update"/> read it, for the retry strategy to wait out.</summary>
    public static readonly HttpRequestOptionsKey<RateLimitedAnswer> RateLimitedKey = new("ThreatBriefBot.Discord.RateLimited");

    public static DiscordCall Of(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Key, out var call)
            ? call
            : throw new InvalidOperationException("A Discord request was sent without its DiscordCall.");

    public static DiscordCall Of(ResilienceContext context) => Of(context.GetRequestMessage());
}

/// <param name="Global">Whether the whole bot waits (a global or Cloudflare 429), for the log.</param>
internal sealed record RateLimitedAnswer(TimeSpan Wait, bool Global);
