using System.Text.Json;
using Microsoft.Extensions.Logging;
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
internal sealed class SlackChatAdapter(SlackWebApiClient api, IOptions<SlackOptions> options, ILogger<SlackChatAdapter> logger) : IChatAdapter
{
    /// <summary>The metadata event type of a digest part; its payload's <see cref="PartKeyField"/> names the part.</summary>
    public const string DigestPartEventType = "threatbriefbot_digest_part";

    public const string PartKeyField = "part_key";

    /// <summary>How far before a digest was decided a lookup starts: Slack's clock and ours may differ a little.</summary>
    private static readonly TimeSpan LookupClockSlack = TimeSpan.FromMinutes(5);

    public ChatPlatform Platform => ChatPlatform.Slack;

    /// <summary>
    /// chat.postMessage bodies, each with its part key as message metadata (part 0 in the channel, the rest threaded
    /// under it when posted), or webhook bodies.
    /// </summary>
    public IReadOnlyList<string> RenderDigest(ChatTarget target, Digest digest, string digestKey)
    {
        ArgumentNullException.ThrowIfNull(target);
        var messages = SlackMessageRenderer.RenderDigest(digest);
        return target.WebhookName is null
            ? [.. messages.Select((m, index) => JsonSerializer.Serialize(
                m.ToPostMessage(target.ChannelId, null) with { Metadata = PartMetadata(DigestKeys.PartKey(digestKey, index)) },
                SlackJson.Context.PostMessageRequest))]
            : [.. messages.Select(m => JsonSerializer.Serialize(m.ToWebhookMessage(), SlackJson.Context.WebhookMessage))];
    }

    public async Task<string?> PostDigestPartAsync(ChatTarget target, DigestPartPost part, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(part);
        if (target.WebhookName is { } name)
        {
            var webhookMessage = JsonSerializer.Deserialize(part.Body, SlackJson.Context.WebhookMessage)
                ?? throw new ChatDeliveryException(ChatDeliveryFailure.Rejected, "empty_part", $"part {part.PartKey} has no body");
            await api.PostWebhookAsync(Webhook(name), target.ChannelId, webhookMessage, cancellationToken);
            return null;
        }

        var message = JsonSerializer.Deserialize(part.Body, SlackJson.Context.PostMessageRequest)
            ?? throw new ChatDeliveryException(ChatDeliveryFailure.Rejected, "empty_part", $"part {part.PartKey} has no body");
        if (part.MayAlreadyBePosted && await FindPostedAsync(message.Channel, part, cancellationToken) is { } posted)
        {
            Log.DigestPartFound(logger, part.PartKey, message.Channel, posted);
            return posted;
        }

        return await api.PostMessageAsync(part.Index == 0 ? message : message with { ThreadTs = part.FirstPartReceipt }, cancellationToken);
    }

    private static SlackMessageMetadata PartMetadata(string partKey) =>
        new(DigestPartEventType, new Dictionary<string, string>(StringComparer.Ordinal) { [PartKeyField] = partKey });

    /// <summary>
    /// Slack has no idempotency key, so a part whose earlier post may have gone through is looked for by its
    /// metadata since the digest was decided: in the channel for part 0, in part 0's thread for the rest.
    /// </summary>
    /// <returns>The posted message's ts, or null when it is not there (or cannot be looked for: then posting again is the lesser harm).</returns>
    private async Task<string?> FindPostedAsync(string channel, DigestPartPost part, CancellationToken cancellationToken)
    {
        var oldest = SlackTs.From(part.DecidedAt - LookupClockSlack);
        SlackMessageList found;
        try
        {
            found = part.Index == 0 || part.FirstPartReceipt is null
                ? await api.ConversationHistoryAsync(channel, oldest, cancellationToken)
                : await api.ConversationRepliesAsync(channel, part.FirstPartReceipt, oldest, cancellationToken);
        }
        catch (ChatDeliveryException e)
        {
            // E.g. missing_scope (no channels:history) or not_in_channel (posting through chat:write.public).
            Log.DigestPartNotLookedUp(logger, e, part.PartKey, channel, e.PlatformError);
            return null;
        }

        var match = found.Messages.FirstOrDefault(m =>
            m.Metadata is { EventType: DigestPartEventType } metadata
            && metadata.EventPayload.TryGetValue(PartKeyField, out var key)
            && string.Equals(key, part.PartKey, StringComparison.Ordinal));
        if (match is null && found.Truncated)
        {
            Log.DigestPartLookupTruncated(logger, part.PartKey, channel);
        }

        return match?.Ts;
    }

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
