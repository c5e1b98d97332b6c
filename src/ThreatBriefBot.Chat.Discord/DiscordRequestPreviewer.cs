using System.Text.Json;
using ThreatBriefBot.Chat.Discord.Rendering;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Discord;

/// <summary>The exact bodies <see cref="DiscordChatAdapter"/> would POST to a channel: what <c>brief --format discord</c> prints.</summary>
internal sealed class DiscordRequestPreviewer : IChatRequestPreviewer
{
    /// <summary>Stands in for the channel when none is given; it only appears in the path and the nonce.</summary>
    public const string PlaceholderChannel = "{channel_id}";

    public ChatPlatform Platform => ChatPlatform.Discord;

    public IReadOnlyList<ChatRequestPreview> PreviewReply(string? channelId, ChatReply reply)
    {
        var channel = channelId ?? PlaceholderChannel;
        return [.. DiscordMessageRenderer.ForChannel(reply, channel).Select(message => new ChatRequestPreview(
            "POST",
            $"channels/{channel}/messages",
            JsonSerializer.Serialize(message, DiscordJsonContext.Default.DiscordMessage)))];
    }
}
