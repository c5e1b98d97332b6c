using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Slack.Rendering;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack.Commands;

/// <summary>
/// Runs slash commands for both inbound modes: builds Core's command (with the caller's right to manage
/// subscriptions), calls the handler, renders the reply, and answers within Slack's 3 s — in the
/// acknowledgement when ready within <see cref="SlackOptions.AckPayloadDeadline"/>, else through response_url.
/// </summary>
internal sealed class SlashCommandRunner(
    IServiceProvider services,
    SlackAdmins admins,
    SlackWebApiClient api,
    IHostApplicationLifetime lifetime,
    IOptions<SlackOptions> options,
    TimeProvider timeProvider,
    ILogger<SlashCommandRunner> logger)
{
    /// <summary>A brief is shown only to its asker unless the text has this word: then it goes to the channel.</summary>
    public const string PublicFlag = "--public";

    /// <summary>Slack takes at most 5 posts to one response_url.</summary>
    public const int MaxResponseUrlPosts = 5;

    private const string Apology = "Sorry, that command failed on the bot's side; its operators can see why in the log.";

    /// <summary>Starts the command; the handler runs once, whatever happens to the acknowledgements.</summary>
    public SlashCommandRun Start(SlashCommandPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var responseUrl = Uri.TryCreate(payload.ResponseUrl, UriKind.Absolute, out var url) ? url : null;
        return new SlashCommandRun(payload.Command ?? "", responseUrl, AnswerAsync(payload, lifetime.ApplicationStopping));
    }

    /// <summary>
    /// Waits for the reply until the deadline (counted from <paramref name="receivedAt"/>, a
    /// <see cref="TimeProvider.GetTimestamp"/>), then claims the acknowledgement; starts the response_url
    /// delivery when the reply is not in it. Returns the acknowledgement's payload, or null for an empty one.
    /// </summary>
    public async Task<SlashCommandResponse?> AcknowledgeAsync(SlashCommandRun run, long receivedAt, bool mayCarryReply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var remaining = options.Value.AckPayloadDeadline - timeProvider.GetElapsedTime(receivedAt);
        if (mayCarryReply && remaining > TimeSpan.Zero)
        {
            try
            {
                await run.Responses.WaitAsync(remaining, timeProvider, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Not ready: the acknowledgement goes empty and the reply follows through response_url.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The command was cancelled (the bot is stopping); the acknowledgement still goes.
            }
        }

        return AcknowledgeNow(run, mayCarryReply);
    }

    /// <summary>Claims the acknowledgement without waiting: for a redelivered envelope whose command is already running.</summary>
    public SlashCommandResponse? AcknowledgeNow(SlashCommandRun run, bool mayCarryReply)
    {
        ArgumentNullException.ThrowIfNull(run);
        var payload = run.ClaimAcknowledgement(mayCarryReply, out var answerLater);
        if (answerLater)
        {
            _ = AnswerLaterAsync(run);
        }

        return payload;
    }

    /// <summary>The acknowledgement that carried the reply never reached Slack: answer through response_url.</summary>
    public void AcknowledgementLost(SlashCommandRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.AcknowledgementLost())
        {
            _ = AnswerLaterAsync(run);
        }
    }

    private async Task AnswerLaterAsync(SlashCommandRun run)
    {
        try
        {
            var responses = await run.Responses;
            if (run.ResponseUrl is null)
            {
                throw new InvalidOperationException("the command came without a response_url");
            }

            foreach (var response in responses)
            {
                await api.PostResponseAsync(run.ResponseUrl, response, lifetime.ApplicationStopping);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            Log.CommandReplyFailed(logger, e, run.Command);
        }
    }

    private async Task<IReadOnlyList<SlashCommandResponse>> AnswerAsync(SlashCommandPayload payload, CancellationToken cancellationToken)
    {
        // Off the caller's thread: the socket's receive loop must not wait for a handler.
        await Task.Yield();
        try
        {
            var name = ChatCommand.NameOf(payload.Command ?? "");
            var text = (payload.Text ?? "").Trim();
            var inChannel = false;
            if (name == "brief")
            {
                (text, inChannel) = WithoutPublicFlag(text);
            }

            var userId = payload.UserId ?? "";
            var command = new ChatCommand(
                new ChatTarget(ChatPlatform.Slack, payload.ChannelId ?? ""),
                userId,
                name,
                text,
                MayManageSubscriptions: ChatCommand.ChangesSubscriptions(name) && await admins.MayManageAsync(userId, cancellationToken),
                WhoMayManage: admins.WhoMayManage);
            var reply = await services.GetRequiredService<IChatCommandHandler>().HandleAsync(command, cancellationToken);

            // A brief is the asker's unless asked for in public; other answers (a subscription made) are the channel's.
            var type = reply.Ephemeral || (name == "brief" && !inChannel) ? SlashCommandResponse.Ephemeral : SlashCommandResponse.InChannel;
            var messages = SlackMessageRenderer.RenderReply(reply, admins.Mentions);
            if (messages.Count > MaxResponseUrlPosts)
            {
                messages =
                [
                    .. messages.Take(MaxResponseUrlPosts - 1),
                    new SlackMessage($"… and {messages.Count - MaxResponseUrlPosts + 1} more parts that Slack cannot take in one answer; narrow the query.", null),
                ];
            }

            return [.. messages.Select(m => m.ToResponse(type))];
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CommandFailed(logger, e, payload.Command ?? "");
            return [new SlashCommandResponse(SlashCommandResponse.Ephemeral, Apology, null)];
        }
    }

    /// <summary>Removes the public flag from a brief's text: "japan --public" is the public brief for "japan".</summary>
    internal static (string Text, bool Public) WithoutPublicFlag(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var kept = words.Where(w => !string.Equals(w, PublicFlag, StringComparison.OrdinalIgnoreCase)).ToList();
        return (string.Join(' ', kept), kept.Count != words.Length);
    }
}
