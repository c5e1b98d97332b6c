using System.Text.Json;

namespace ThreatBriefBot.Chat.Slack.WebApi;

/// <summary>A Block Kit block: header, section, context or divider (the only ones a digest needs).</summary>
internal sealed record SlackBlock(string Type, SlackTextObject? Text = null, IReadOnlyList<SlackTextObject>? Elements = null)
{
    public static SlackBlock Divider { get; } = new("divider");

    public static SlackBlock Header(string plainText) => new("header", new SlackTextObject("plain_text", plainText, Emoji: true));

    public static SlackBlock Section(string mrkdwn) => new("section", new SlackTextObject("mrkdwn", mrkdwn));

    public static SlackBlock Context(IEnumerable<string> mrkdwn) =>
        new("context", Elements: [.. mrkdwn.Select(text => new SlackTextObject("mrkdwn", text))]);
}

/// <summary>A composition text object; <paramref name="Emoji"/> only for plain_text.</summary>
internal sealed record SlackTextObject(string Type, string Text, bool? Emoji = null);

/// <summary>The body of chat.postMessage (JSON form: blocks are a real array).</summary>
internal sealed record PostMessageRequest(
    string Channel,
    string Text,
    IReadOnlyList<SlackBlock>? Blocks,
    string? ThreadTs = null,
    bool UnfurlLinks = false,
    bool UnfurlMedia = false,
    SlackMessageMetadata? Metadata = null);

/// <summary>
/// Message metadata (Slack's "message metadata"): an event type and a flat payload, posted with a message and read
/// back with conversations.history or conversations.replies when include_all_metadata is set.
/// </summary>
/// <param name="EventType">What the message is, e.g. "threatbriefbot_digest_part".</param>
internal sealed record SlackMessageMetadata(string EventType, IReadOnlyDictionary<string, string> EventPayload)
{
    /// <summary>
    /// Metadata as Slack returns it; values that are not strings (another app's numbers or objects) are kept as
    /// their JSON text. Null when there is none or it has no event_type.
    /// </summary>
    public static SlackMessageMetadata? FromJson(JsonElement? json)
    {
        if (json is not { ValueKind: JsonValueKind.Object } metadata
            || !metadata.TryGetProperty("event_type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var payload = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata.TryGetProperty("event_payload", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var value in values.EnumerateObject())
            {
                payload[value.Name] = value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString()! : value.Value.GetRawText();
            }
        }

        return new SlackMessageMetadata(type.GetString()!, payload);
    }
}

/// <summary>A message found by conversations.history or conversations.replies: what a lookup needs to match it.</summary>
/// <param name="ThreadTs">The thread it is in (a parent's own ts when it has replies); null when not threaded.</param>
internal sealed record SlackHistoryMessage(string Ts, string? ThreadTs, SlackMessageMetadata? Metadata);

/// <param name="Truncated">True when messages remained unread after <see cref="SlackOptions.MaxLookupPages"/> pages.</param>
internal sealed record SlackMessageList(IReadOnlyList<SlackHistoryMessage> Messages, bool Truncated);

/// <summary>A slash command's answer: in the acknowledgement, or POSTed to its response_url.</summary>
internal sealed record SlashCommandResponse(string ResponseType, string Text, IReadOnlyList<SlackBlock>? Blocks)
{
    public const string Ephemeral = "ephemeral";
    public const string InChannel = "in_channel";
}

/// <summary>The body of an incoming-webhook POST: the channel is fixed by the webhook.</summary>
internal sealed record WebhookMessage(string Text, IReadOnlyList<SlackBlock>? Blocks, bool UnfurlLinks = false, bool UnfurlMedia = false);

/// <summary>Every Web API answer: ok, or the error code; plus what the methods the bot calls return.</summary>
internal sealed class SlackApiResponse
{
    public bool Ok { get; set; }

    public string? Error { get; set; }

    /// <summary>chat.postMessage: the message's timestamp, its id in the channel.</summary>
    public string? Ts { get; set; }

    /// <summary>apps.connections.open: the single-use WebSocket URL.</summary>
    public string? Url { get; set; }

    /// <summary>usergroups.users.list: the group's members.</summary>
    public List<string>? Users { get; set; }

    /// <summary>conversations.history and conversations.replies: one page of messages.</summary>
    public List<SlackWireMessage>? Messages { get; set; }

    public bool HasMore { get; set; }

    public SlackResponseMetadata? ResponseMetadata { get; set; }

    public string? Warning { get; set; }
}

/// <summary>The fields of a listed message a lookup reads; metadata stays raw until <see cref="SlackMessageMetadata.FromJson"/>.</summary>
internal sealed class SlackWireMessage
{
    public string? Ts { get; set; }

    public string? ThreadTs { get; set; }

    public JsonElement? Metadata { get; set; }
}

/// <summary>Where the next page starts: an opaque cursor, empty on the last page.</summary>
internal sealed class SlackResponseMetadata
{
    public string? NextCursor { get; set; }
}

/// <summary>A Socket Mode frame: hello, disconnect, or an envelope.</summary>
internal sealed class SocketFrame
{
    public string? Type { get; set; }

    public string? EnvelopeId { get; set; }

    public string? Reason { get; set; }

    public bool AcceptsResponsePayload { get; set; }

    public JsonElement? Payload { get; set; }
}

/// <summary>The slash-command fields the bot uses, from a Socket Mode envelope or an HTTP form.</summary>
internal sealed class SlashCommandPayload
{
    public string? Command { get; set; }

    public string? Text { get; set; }

    public string? ChannelId { get; set; }

    public string? UserId { get; set; }

    public string? ResponseUrl { get; set; }
}

/// <summary>The acknowledgement of an envelope, with the command's answer when it is ready.</summary>
internal sealed record SocketAck(string EnvelopeId, SlashCommandResponse? Payload = null);
