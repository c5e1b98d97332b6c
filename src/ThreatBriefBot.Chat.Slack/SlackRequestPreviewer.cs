using System.Text.Json;
using ThreatBriefBot.Chat.Slack.Rendering;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack;

/// <summary>
/// What <c>brief --format slack</c> prints: the chat.postMessage bodies the adapter would send for a reply, one
/// per message, rendered by the same code. No token needed.
/// </summary>
internal sealed class SlackRequestPreviewer : IChatRequestPreviewer
{
    /// <summary>A channel id of the form Slack accepts, for when no channel is given.</summary>
    public const string PlaceholderChannel = "C0000000000";

    /// <summary>Parts after the first are threaded under the first message, whose ts exists only once it is posted.</summary>
    public const string PlaceholderThreadTs = "0000000000.000000";

    public ChatPlatform Platform => ChatPlatform.Slack;

    public IReadOnlyList<ChatRequestPreview> PreviewReply(string? channelId, ChatReply reply) =>
        [.. SlackMessageRenderer.RenderReply(reply).Select((message, index) => new ChatRequestPreview(
            "POST",
            "chat.postMessage",
            JsonSerializer.Serialize(
                message.ToPostMessage(channelId ?? PlaceholderChannel, index == 0 ? null : PlaceholderThreadTs),
                SlackJson.Context.PostMessageRequest)))];
}
