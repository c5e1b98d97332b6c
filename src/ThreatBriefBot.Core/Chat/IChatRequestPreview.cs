namespace ThreatBriefBot.Core.Chat;

/// <summary>One HTTP request an adapter would send: what <c>brief --format discord|slack</c> prints.</summary>
/// <param name="Path">Relative to the platform's API base, e.g. "channels/123/messages" or "chat.postMessage".</param>
/// <param name="Body">The exact JSON body.</param>
public sealed record ChatRequestPreview(string Method, string Path, string Body);

/// <summary>
/// Renders a reply (a digest among them) to the requests a platform adapter would send to post it in a channel,
/// without sending them or needing a token, so an operator can see, and a tool can validate, exactly what a
/// channel would receive. Registered whether or not the platform is enabled.
/// </summary>
public interface IChatRequestPreviewer
{
    ChatPlatform Platform { get; }

    /// <param name="channelId">The channel to address; null for a placeholder the platform would accept.</param>
    IReadOnlyList<ChatRequestPreview> PreviewReply(string? channelId, ChatReply reply);
}
