using System.Text.Json;

namespace ThreatBriefBot.Chat.Slack.Fakes;

/// <summary>How the fake treats a channel: Missing answers channel_not_found as an unknown id does.</summary>
public enum ChannelState
{
    Member,
    NotInChannel,
    Archived,
    Missing,
}

/// <summary>What the bot token is worth: InvalidAuth and AccountInactive make bot-token methods answer ok:false.</summary>
public enum AuthState
{
    Ok,
    InvalidAuth,
    AccountInactive,
}

/// <summary>How <see cref="FakeSlackServer.PostSlashCommandAsync"/> signs: correctly, over a body changed afterwards, or not at all.</summary>
public enum SignatureMode
{
    Valid,
    Tampered,
    Missing,
}

/// <summary>An ack of a slash command: over Socket Mode (socket 1, 2, …) or an HTTP command's response (socket 0).</summary>
/// <param name="Payload">The ack's payload (Socket Mode) or response body (HTTP; JSON, or plain text as a JSON string); null when empty.</param>
/// <param name="Elapsed">Since the first delivery.</param>
public sealed record RecordedAck(JsonElement? Payload, TimeSpan Elapsed, int SocketNumber);

/// <summary>An accepted message. Form bodies are recorded as a JSON object of strings with blocks/attachments parsed.</summary>
/// <param name="Metadata">The message's metadata object (parsed from its JSON string in form bodies), as conversations.history returns it.</param>
public sealed record RecordedMessage(string Ts, JsonElement Body, string? ThreadTs, JsonElement? Metadata = null);

/// <summary>How <see cref="FakeSlackServer.FailNextWith"/> fails Web API calls: Slack's outages, seen from the client.</summary>
public enum ServerFault
{
    /// <summary>HTTP 500 with Slack's HTML error page; the call is not carried out.</summary>
    ServerError,

    /// <summary>The call is carried out (a message is posted), then answered with HTTP 500 and the HTML page.</summary>
    ServerErrorAfterDoing,

    /// <summary>The call is carried out, then no answer comes: the client times out.</summary>
    NoAnswerAfterDoing,
}

/// <summary>One HTTP request the fake answered (WebSocket upgrades show status 101 and no body).</summary>
public sealed record RecordedRequest(string Method, string Path, int Status, string? Body, IReadOnlyDictionary<string, string> Headers);
