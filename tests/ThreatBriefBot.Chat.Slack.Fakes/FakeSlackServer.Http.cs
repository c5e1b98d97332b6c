using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ThreatBriefBot.Chat.Slack.Fakes;

/// <summary>HTTP slash commands (signed POSTs to the adapter), response_url, and incoming webhooks.</summary>
public sealed partial class FakeSlackServer
{
    private readonly Dictionary<string, FakeSlashCommand> _responseUrls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Webhook> _webhooks = new(StringComparer.Ordinal);
    private int _webhookCounter;

    /// <summary>A webhook URL for the channel: http://127.0.0.1:{port}/services/T…/B…/X….</summary>
    public Uri AddIncomingWebhook(string channelId)
    {
        lock (_gate)
        {
            var path = $"/services/{TeamId}/B0HOOK{++_webhookCounter:D5}/{RandomToken(24)}";
            _webhooks[path] = new Webhook(channelId, new TokenBucket(_options.PostMessageBurst, _options.PostMessageInterval, TimeProvider.System));
            return new Uri(_root, path.TrimStart('/'));
        }
    }

    public IReadOnlyList<RecordedMessage> WebhookMessages(Uri webhook)
    {
        lock (_gate)
        {
            return _webhooks.TryGetValue(webhook.AbsolutePath, out var hook) ? [.. hook.Messages] : [];
        }
    }

    /// <summary>
    /// POSTs a slash command to the adapter's endpoint as Slack does: a form body (B6 fields) signed with
    /// <see cref="SigningSecret"/>. The returned command's Ack completes with a 2xx answer (socket 0, body as payload).
    /// </summary>
    /// <param name="signature">Tampered signs the body, then changes the text; Missing sends no X-Slack-Signature.</param>
    /// <param name="age">Backdates X-Slack-Request-Timestamp (more than 5 minutes must be refused).</param>
    public async Task<HttpResponseMessage> PostSlashCommandAsync(Uri endpoint, string command, string text, string channelId, string userId = "U0ADMIN001",
        SignatureMode signature = SignatureMode.Valid, TimeSpan? age = null, CancellationToken cancellationToken = default)
    {
        var slash = NewSlashCommand($"http-{Guid.NewGuid()}", command, text, channelId, userId);
        var fields = slash.Payload.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString() ?? "")).ToList();
        var body = await FormBodyAsync(fields, cancellationToken);
        var timestamp = (TimeProvider.System.GetUtcNow() - (age ?? TimeSpan.Zero)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = SlackSignature.Compute(SigningSecret, timestamp, body);
        if (signature == SignatureMode.Tampered)
        {
            body = await FormBodyAsync([.. fields.Select(f => f.Key == "text" ? KeyValuePair.Create(f.Key, f.Value + " tampered") : f)], cancellationToken);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        // Slack sends the bare media type, no charset.
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add(SlackSignature.TimestampHeader, timestamp);
        if (signature != SignatureMode.Missing)
        {
            request.Headers.Add(SlackSignature.SignatureHeader, signed);
        }

        slash.RecordDelivery(0);
        var response = await _http.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            slash.RecordAck(await ResponsePayloadAsync(slash, response, cancellationToken), 0);
        }

        return response;
    }

    private static async Task<string> FormBodyAsync(List<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>The adapter's immediate answer: JSON (validated like a response_url body), plain text as a JSON string, or null when empty.</summary>
    private async Task<JsonElement?> ResponsePayloadAsync(FakeSlashCommand slash, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var content = await response.Content.ReadAsStringAsync(cancellationToken);
        if (content.Length == 0)
        {
            return null;
        }

        if (!IsJson(response.Content.Headers.ContentType?.ToString()))
        {
            return MessageValidator.ToElement(JsonValue.Create(content));
        }

        if (ParseObject(content) is not { } json)
        {
            RecordViolations($"slash command {slash.EnvelopeId} response", [new Violation("", "not a JSON object", "invalid_payload")]);
            return null;
        }

        RecordViolations($"slash command {slash.EnvelopeId} response", MessageValidator.Validate(MessageKind.ResponseUrl, json, out _));
        return json;
    }

    private Reply HandleResponseUrl(HttpRequest request, string path, string body)
    {
        FakeSlashCommand? slash;
        lock (_gate)
        {
            slash = _responseUrls.GetValueOrDefault(path);
        }

        if (slash is null || slash.ResponseUrlExpired)
        {
            return Json(Error(slash is null ? "invalid_url" : "expired_url"), StatusCodes.Status404NotFound);
        }

        if (slash.ResponseUrlPosts.Count >= FakeSlashCommand.MaxResponseUrlUses)
        {
            return Json(Error("used_url"), StatusCodes.Status404NotFound);
        }

        if (!IsJson(request.ContentType) || ParseObject(body) is not { } json)
        {
            return Json(Error("invalid_payload"), StatusCodes.Status400BadRequest);
        }

        var violations = MessageValidator.Validate(MessageKind.ResponseUrl, json, out _);
        RecordViolations("response_url", violations);
        var deletes = json.TryGetProperty("delete_original", out var delete) && delete.ValueKind == JsonValueKind.True;
        if (!deletes && !HasMessageContent(json))
        {
            return Json(Error("no_text"), StatusCodes.Status400BadRequest);
        }

        if (violations.Count > 0)
        {
            return Json(ViolationBody(violations[0].Error, violations), StatusCodes.Status400BadRequest);
        }

        if (!slash.TryRecordResponse(new RecordedMessage(NextTs(), json, MessageValidator.StringProperty(json, "thread_ts"))))
        {
            return Json(Error("used_url"), StatusCodes.Status404NotFound);
        }

        lock (_gate)
        {
            SignalLocked();
        }

        return Json(new JsonObject { ["ok"] = true });
    }

    /// <summary>Incoming webhooks answer in text/plain: "ok", or an error code with its HTTP status (platform-apis.md B9).</summary>
    private Reply HandleWebhook(HttpRequest request, string path, string body)
    {
        Webhook? hook;
        lock (_gate)
        {
            hook = _webhooks.GetValueOrDefault(path);
            if (hook is not null && !hook.Bucket.TryTake())
            {
                _rateLimitedResponses++;
                return Text(StatusCodes.Status429TooManyRequests, "rate_limited",
                    new Dictionary<string, string> { ["Retry-After"] = _options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture) });
            }
        }

        if (hook is null)
        {
            return Text(StatusCodes.Status404NotFound, "no_service");
        }

        if (!IsJson(request.ContentType) || ParseObject(body) is not { } json)
        {
            return Text(StatusCodes.Status400BadRequest, "invalid_payload");
        }

        switch (StateOf(hook.ChannelId))
        {
            case ChannelState.Missing:
                return Text(StatusCodes.Status404NotFound, "channel_not_found");
            case ChannelState.Archived:
                return Text(StatusCodes.Status410Gone, "channel_is_archived");
        }

        var violations = MessageValidator.Validate(MessageKind.IncomingWebhook, json, out _);
        RecordViolations("incoming webhook", violations);
        if (!HasMessageContent(json))
        {
            return Text(StatusCodes.Status400BadRequest, "no_text");
        }

        if (violations.Count > 0)
        {
            return Text(StatusCodes.Status400BadRequest, violations[0].Error is "invalid_blocks" or "invalid_blocks_format" ? violations[0].Error : "invalid_payload");
        }

        var ts = NextTs();
        lock (_gate)
        {
            hook.Messages.Add(new RecordedMessage(ts, json, MessageValidator.StringProperty(json, "thread_ts")));
            SignalLocked();
        }

        return Text(StatusCodes.Status200OK, "ok");
    }

    private sealed class Webhook(string channelId, TokenBucket bucket)
    {
        public string ChannelId => channelId;

        public TokenBucket Bucket => bucket;

        public List<RecordedMessage> Messages { get; } = [];
    }
}
