using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Core.Chat;

/// <summary>
/// One chat platform, outbound. Each adapter renders a <see cref="Digest"/> to its own format and escapes
/// feed text for it: feed text is untrusted and must never mention, ping or spoof a link on the platform.
/// </summary>
public interface IChatAdapter
{
    ChatPlatform Platform { get; }

    /// <summary>Posts the digest; returns only once the platform accepted it, throws otherwise.</summary>
    Task PostDigestAsync(ChatTarget target, Digest digest, CancellationToken cancellationToken);

    /// <summary>Posts a reply to a command.</summary>
    Task PostReplyAsync(ChatTarget target, ChatReply reply, CancellationToken cancellationToken);
}

/// <summary>Core implements it; the platforms' inbound services and the CLI call it.</summary>
public interface IChatCommandHandler
{
    Task<ChatReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken);
}
