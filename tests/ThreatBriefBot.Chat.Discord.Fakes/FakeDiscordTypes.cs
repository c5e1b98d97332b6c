using System.Text.Json;

namespace ThreatBriefBot.Chat.Discord.Fakes;

/// <summary>What the bot may do in a channel; each non-writable state maps to the error Discord returns.</summary>
public enum ChannelState
{
    Writable,

    /// <summary>404 code 10003 Unknown Channel.</summary>
    Unknown,

    /// <summary>403 code 50001 Missing Access.</summary>
    MissingAccess,

    /// <summary>403 code 50013 Missing Permissions.</summary>
    MissingPermissions,
}

/// <summary>The X-RateLimit-Scope of a scripted 429.</summary>
public enum RateLimitKind
{
    /// <summary>Scope user: the route bucket, counts as an invalid request.</summary>
    Route,

    /// <summary>Scope global with X-RateLimit-Global: true and "global": true.</summary>
    Global,

    /// <summary>Scope shared ("The resource is being rate limited."): does not count as an invalid request.</summary>
    Shared,

    /// <summary>A Cloudflare ban: 429 with an HTML body (error code 1015) and only Retry-After, for every route, as when the invalid-request limit is hit.</summary>
    Cloudflare,
}

public enum SignatureMode
{
    Valid,

    /// <summary>Well-formed headers whose signature does not verify, as Discord sends to probe endpoints.</summary>
    Tampered,

    /// <summary>No X-Signature-* headers at all.</summary>
    Missing,
}

/// <summary>A slash command as a user would run it.</summary>
/// <param name="Options">Option name to string value, in order; with <paramref name="Autocomplete"/> the last one is focused.</param>
/// <param name="Permissions">member.permissions as Discord sends it: a decimal string, e.g. "16" (MANAGE_CHANNELS) or "0".</param>
/// <param name="Autocomplete">Send type 4 (APPLICATION_COMMAND_AUTOCOMPLETE) instead of 2.</param>
public sealed record SlashCommandSpec(
    string Name,
    IReadOnlyDictionary<string, string> Options,
    string ChannelId,
    string Permissions = "2147483647",
    string GuildId = "200000000000000001",
    string UserId = "300000000000000001",
    bool Autocomplete = false);

/// <param name="Elapsed">Since the interaction was sent.</param>
/// <param name="StatusServed">What the fake answered (204/200, or 404 10062 when late, 400 when invalid).</param>
public sealed record RecordedCallback(int Type, JsonElement Body, TimeSpan Elapsed, int StatusServed);

/// <summary>How <see cref="FakeDiscordServer.FailNextWith"/> fails REST requests: outages in front of or inside Discord.</summary>
public enum ServerFault
{
    /// <summary>HTTP 500 with an HTML page; the request is not carried out.</summary>
    ServerError,

    /// <summary>The request is carried out (a message is posted), then answered with HTTP 500 and the HTML page.</summary>
    ServerErrorAfterDoing,

    /// <summary>The request is carried out, then no answer comes: the client times out.</summary>
    NoAnswerAfterDoing,
}

/// <param name="Nonce">The nonce as text (a JSON number's digits or the string), if one was sent.</param>
public sealed record RecordedMessage(string Id, JsonElement Body, string? Nonce);

/// <param name="Path">The path without the query, e.g. /api/v10/channels/1/messages.</param>
/// <param name="Headers">Request headers, case-insensitive.</param>
public sealed record RecordedRequest(string Method, string Path, int Status, string? Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The query string including '?', or empty.</summary>
    public string Query { get; init; } = "";
}
