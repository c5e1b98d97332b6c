using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Delivery;

/// <summary>Where console digests are written; stdout unless a test or the CLI says otherwise.</summary>
internal sealed class ConsoleOutput(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}

/// <summary>
/// The embedded default channel: prints digests and replies to standard output, readably, so the bot shows what
/// it does with no chat token at all.
/// </summary>
internal sealed class ConsoleChatAdapter(ConsoleOutput output) : IChatAdapter
{
    private readonly Lock _gate = new();

    public ChatPlatform Platform => ChatPlatform.Console;

    public Task PostDigestAsync(ChatTarget target, Digest digest, CancellationToken cancellationToken) =>
        WriteAsync(DigestTextRenderer.Render(digest), cancellationToken);

    public Task PostReplyAsync(ChatTarget target, ChatReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = ChatText.Clean(reply.Text) + Environment.NewLine;
        return WriteAsync(reply.Digest is null ? text : text + DigestTextRenderer.Render(reply.Digest), cancellationToken);
    }

    private Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Digests of several subscriptions may fire at once; one must not interleave with another.
        lock (_gate)
        {
            output.Writer.WriteLine(text);
            output.Writer.Flush();
        }

        return Task.CompletedTask;
    }
}
