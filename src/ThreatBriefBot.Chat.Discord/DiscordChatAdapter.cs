using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Discord.Rendering;
using ThreatBriefBot.Chat.Discord.Rest;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Chat.Discord;

/// <summary>
/// Posts digests and replies to Discord channels (bot token + channel id) or webhooks ("webhook:&lt;name&gt;",
/// the URL from <c>Discord:Webhooks:&lt;name&gt;</c>). Failures that retrying cannot fix become
/// <see cref="ChatDeliveryException"/>s; the host pauses the subscription and tells ops.
/// </summary>
internal sealed class DiscordChatAdapter(DiscordRestClient rest, IOptions<DiscordOptions> options, ILogger<DiscordChatAdapter> logger) : IChatAdapter
{
    /// <summary>Discord: a webhook that returned 404 must not be used again, or the bot is restricted.</summary>
    private readonly ConcurrentDictionary<string, bool> _goneWebhooks = new(StringComparer.Ordinal);

    public ChatPlatform Platform => ChatPlatform.Discord;

    /// <summary>
    /// One message body per part. To a channel each carries a nonce made from its part key, with
    /// <c>enforce_nonce</c>: a part re-sent while Discord remembers the nonce (a few minutes) returns the message
    /// already posted. Webhooks take no nonce.
    /// </summary>
    public IReadOnlyList<string> RenderDigest(ChatTarget target, Digest digest, string digestKey)
    {
        ArgumentNullException.ThrowIfNull(target);
        var messages = DiscordMessageRenderer.RenderDigest(digest);
        return [.. messages.Select((message, index) => JsonSerializer.Serialize(
            target.WebhookName is null
                ? message with { Nonce = DiscordMessageRenderer.NonceFor(DigestKeys.PartKey(digestKey, index)), EnforceNonce = true }
                : message,
            DiscordJsonContext.Default.DiscordMessage))];
    }

    /// <summary>
    /// Posts the part as rendered. A part whose earlier post has an unknown outcome is simply sent again: to a
    /// channel its nonce makes that safe within Discord's nonce window; a webhook has no such key, so there a post
    /// that Discord accepted just before a crash is posted again.
    /// </summary>
    public async Task<string?> PostDigestPartAsync(ChatTarget target, DigestPartPost part, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(part);
        var message = JsonSerializer.Deserialize(part.Body, DiscordJsonContext.Default.DiscordMessage)
            ?? throw new ChatDeliveryException(ChatDeliveryFailure.Rejected, "empty-part", $"part {part.PartKey} has no body");
        var response = target.WebhookName is { } name
            ? await ExecuteWebhookAsync(target, name, message, cancellationToken)
            : await rest.CreateMessageAsync(ChannelIdOf(target), message, cancellationToken);
        ThrowUnlessPosted(target, response);
        Log.MessagesPosted(logger, target, 1);
        return MessageIdOf(response);
    }

    public async Task PostReplyAsync(ChatTarget target, ChatReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reply);
        if (target.WebhookName is { } name)
        {
            await PostToWebhookAsync(target, name, reply, cancellationToken);
            return;
        }

        var channelId = ChannelIdOf(target);
        var messages = DiscordMessageRenderer.ForChannel(reply, channelId);
        foreach (var message in messages)
        {
            var response = await rest.CreateMessageAsync(channelId, message, cancellationToken);
            ThrowUnlessPosted(target, response);
        }

        Log.MessagesPosted(logger, target, messages.Count);
    }

    private static string ChannelIdOf(ChatTarget target) =>
        DiscordOptionsValidator.IsSnowflake(target.ChannelId)
            ? target.ChannelId
            : throw new ChatDeliveryException(
                ChatDeliveryFailure.TargetUnavailable,
                "invalid-channel",
                $"'{target.ChannelId}' is neither a Discord channel id nor '{ChatTarget.WebhookPrefix}<name>'");

    /// <summary>The created message's id; Discord always returns the message (webhooks too, with wait=true).</summary>
    private static string? MessageIdOf(DiscordResponse response)
    {
        try
        {
            using var body = JsonDocument.Parse(response.Body);
            return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task PostToWebhookAsync(ChatTarget target, string name, ChatReply reply, CancellationToken cancellationToken)
    {
        var messages = DiscordMessageRenderer.RenderReply(reply);
        foreach (var message in messages)
        {
            ThrowUnlessPosted(target, await ExecuteWebhookAsync(target, name, message, cancellationToken));
        }

        Log.MessagesPosted(logger, target, messages.Count);
    }

    private async Task<DiscordResponse> ExecuteWebhookAsync(ChatTarget target, string name, DiscordMessage message, CancellationToken cancellationToken)
    {
        if (!options.Value.Webhooks.TryGetValue(name, out var url) || !DiscordWebhookUrl.TryParse(url, out var webhook))
        {
            throw new ChatDeliveryException(
                ChatDeliveryFailure.TargetUnavailable,
                "webhook-not-configured",
                $"no webhook URL is configured as {DiscordOptions.SectionName}:Webhooks:{name} (set the environment variable {DiscordOptions.SectionName}__Webhooks__{name} or a user secret)");
        }

        if (_goneWebhooks.ContainsKey(webhook.Id))
        {
            throw new ChatDeliveryException(ChatDeliveryFailure.TargetUnavailable, "10015", $"{webhook} was deleted (Discord answered 404 earlier); configure a new URL");
        }

        var response = await rest.ExecuteWebhookAsync(webhook.Id, webhook.Token, message, cancellationToken);
        if (response.Status == HttpStatusCode.NotFound)
        {
            _goneWebhooks[webhook.Id] = true;
        }

        return response;
    }

    private static void ThrowUnlessPosted(ChatTarget target, DiscordResponse response)
    {
        if (response.IsSuccess)
        {
            return;
        }

        var status = (int)response.Status;
        var failure = response.Error?.Code switch
        {
            _ when response.Status == HttpStatusCode.Unauthorized => ChatDeliveryFailure.NotAuthorized,

            // Unknown channel, unknown webhook, missing access, missing permissions, not a text channel.
            10003 or 10015 or 50001 or 50013 or 50008 => ChatDeliveryFailure.TargetUnavailable,
            _ when status is 403 or 404 => ChatDeliveryFailure.TargetUnavailable,
            _ when status is >= 400 and < 500 => ChatDeliveryFailure.Rejected,
            _ => (ChatDeliveryFailure?)null,
        };
        if (failure is null)
        {
            throw new HttpRequestException($"Discord did not take the message for {target}: {response.Describe()}", null, response.Status);
        }

        throw new ChatDeliveryException(failure.Value, response.ErrorCode, $"Discord refused the message for {target}: {response.Describe()}");
    }
}
