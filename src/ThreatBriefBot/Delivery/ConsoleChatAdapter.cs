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
/// it does with no chat token at all. A digest is one part, its whole text; a console has no message ids to check
/// against, so a crash between printing a digest and recording it prints it again.
/// </summary>
internal sealed class ConsoleChatAdapter(ConsoleOutput output) : IChatAdapter
{
    private readonly Lock _gate = new();

    public ChatPlatform Platform => ChatPlatform.Console;

    public IReadOnlyList<string> RenderDigest(ChatTarget target, Digest digest, string digestKey) => [DigestTextRenderer.Render(digest)];

    public async Task<string?> PostDigestPartAsync(ChatTarget target, DigestPartPost part, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(part);
        await WriteAsync(part.Body, cancellationToken);
        return null;
    }

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
