using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Core.Chat;

/// <summary>
/// One chat platform, outbound. Each adapter renders a <see cref="Digest"/> to its own format and escapes
/// feed text for it: feed text is untrusted and must never mention, ping or spoof a link on the platform.
/// </summary>
public interface IChatAdapter
{
    ChatPlatform Platform { get; }

    /// <summary>
    /// Renders a digest as the messages that will post it, in order: pure, so the outbox can store them with the
    /// decision before anything is sent, and send them later, maybe after a restart, exactly as decided.
    /// </summary>
    /// <param name="digestKey">Unique per subscription and fire time; each part's key is made from it.</param>
    IReadOnlyList<string> RenderDigest(ChatTarget target, Digest digest, string digestKey);

    /// <summary>
    /// Posts one part rendered by <see cref="RenderDigest"/>; returns once the platform accepted it, with the
    /// platform's id for the message when it gives one, and throws otherwise. When
    /// <see cref="DigestPartPost.MayAlreadyBePosted"/> is set, the adapter first makes sure the part is not posted a
    /// second time, as far as its platform allows.
    /// </summary>
    Task<string?> PostDigestPartAsync(ChatTarget target, DigestPartPost part, CancellationToken cancellationToken);

    /// <summary>Posts a reply to a command.</summary>
    Task PostReplyAsync(ChatTarget target, ChatReply reply, CancellationToken cancellationToken);
}

/// <summary>Core implements it; the platforms' inbound services and the CLI call it.</summary>
public interface IChatCommandHandler
{
    Task<ChatReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken);
}

/// <summary>One stored message of a decided digest, handed to its adapter to post.</summary>
/// <param name="DigestKey">Unique per subscription and fire time.</param>
/// <param name="Index">0-based; a digest's parts are posted in order.</param>
/// <param name="Count">How many parts the digest has.</param>
/// <param name="Body">What the adapter rendered for this part when the digest was decided.</param>
/// <param name="FirstPartReceipt">The platform's id for part 0 once it was accepted (Slack threads later parts under it).</param>
/// <param name="DecidedAt">When the digest was decided: no part of it can have been posted earlier.</param>
/// <param name="MayAlreadyBePosted">A post of this part started before and its outcome was never recorded (a crash or a timeout).</param>
public sealed record DigestPartPost(
    string DigestKey,
    int Index,
    int Count,
    string Body,
    string? FirstPartReceipt,
    DateTimeOffset DecidedAt,
    bool MayAlreadyBePosted)
{
    /// <summary>Unique per part: what a platform's idempotency key or a message's metadata carries.</summary>
    public string PartKey => DigestKeys.PartKey(DigestKey, Index);
}
