using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Slack.Rendering;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Chat.Slack;

/// <summary>
/// Posts digests and replies to Slack: to a channel id (C…, G…, D…) with chat.postMessage, a large digest's
/// further parts threaded under its first message; or, for a channel "webhook:&lt;name&gt;", to the incoming
/// webhook configured as Slack:Webhooks:&lt;name&gt;, part after part (webhooks return no ts to thread under).
/// </summary>
internal sealed class SlackChatAdapter(SlackWebApiClient api, IOptions<SlackOptions> options) : IChatAdapter
{
    public ChatPlatform Platform => ChatPlatform.Slack;

    public Task PostDigestAsync(ChatTarget target, Digest digest, CancellationToken cancellationToken) =>
        PostAsync(target, SlackMessageRenderer.RenderDigest(digest), cancellationToken);

    /// <summary>Replies outside a slash command (alerts to ops) go to the channel for all to see: only a slash command can answer ephemerally.</summary>
    public Task PostReplyAsync(ChatTarget target, ChatReply reply, CancellationToken cancellationToken) =>
        PostAsync(target, SlackMessageRenderer.RenderReply(reply), cancellationToken);

    private async Task PostAsync(ChatTarget target, IReadOnlyList<SlackMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Platform != ChatPlatform.Slack)
        {
            throw new ArgumentException($"{target} is not a Slack channel", nameof(target));
        }

        if (target.WebhookName is { } name)
        {
            var webhook = Webhook(name);
            foreach (var message in messages)
            {
                await api.PostWebhookAsync(webhook, target.ChannelId, message.ToWebhookMessage(), cancellationToken);
            }

            return;
        }

        string? thread = null;
        foreach (var message in messages)
        {
            var ts = await api.PostMessageAsync(message.ToPostMessage(target.ChannelId, thread), cancellationToken);
            thread ??= ts;
        }
    }

    private Uri Webhook(string name) =>
        options.Value.Webhooks.TryGetValue(name, out var url) && Uri.TryCreate(url, UriKind.Absolute, out var webhook)
            ? webhook
            : throw new ChatDeliveryException(
                ChatDeliveryFailure.TargetUnavailable,
                "webhook_not_configured",
                $"Slack:Webhooks:{name} is not set (set the environment variable Slack__Webhooks__{name} or a user secret)");
}
