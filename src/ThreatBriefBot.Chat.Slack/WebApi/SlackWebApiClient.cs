using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Http;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack.WebApi;

/// <summary>
/// Slack's Web API, incoming webhooks and response_urls over one typed HttpClient, with Slack's error model in
/// one loop: HTTP 200 with ok:false is an error; a 429 (or rate_limited) is waited out for as long as
/// Retry-After says; 5xx and HTML error pages are tried again a few times with backoff; nothing else is retried,
/// since a POST that timed out may have been posted.
/// </summary>
internal sealed class SlackWebApiClient(
    HttpClient http,
    ChannelPacer pacer,
    IOptions<SlackOptions> options,
    TimeProvider timeProvider,
    ILogger<SlackWebApiClient> logger)
{
    /// <summary>Slack's own failures (5xx, HTML pages) are retried at most this far apart.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    private const string JsonMediaType = "application/json";

    /// <summary>Posts a message; returns its ts (the id replies thread under).</summary>
    public async Task<string> PostMessageAsync(PostMessageRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = JsonSerializer.Serialize(message, SlackJson.Context.PostMessageRequest);
        var response = await CallAsync("chat.postMessage", () => Json(body), options.Value.BotToken, message.Channel, cancellationToken);
        return response.Ts ?? throw new ChatDeliveryException(ChatDeliveryFailure.Rejected, "no_ts", "Slack accepted chat.postMessage but returned no ts");
    }

    /// <summary>apps.connections.open with the app-level token: a single-use Socket Mode URL.</summary>
    public async Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var response = await CallAsync("apps.connections.open", () => new FormUrlEncodedContent([]), options.Value.AppToken, paceKey: null, cancellationToken);
        return Uri.TryCreate(response.Url, UriKind.Absolute, out var url) && (url.Scheme == "wss" || url.Scheme == "ws")
            ? url
            : throw new ChatDeliveryException(ChatDeliveryFailure.Rejected, "no_url", "Slack accepted apps.connections.open but returned no WebSocket URL");
    }

    /// <summary>usergroups.users.list: the members of a user group.</summary>
    public async Task<IReadOnlyList<string>> UserGroupMembersAsync(string userGroup, CancellationToken cancellationToken)
    {
        var response = await CallAsync(
            "usergroups.users.list",
            () => new FormUrlEncodedContent([new("usergroup", userGroup)]),
            options.Value.BotToken,
            paceKey: null,
            cancellationToken);
        return response.Users ?? [];
    }

    /// <summary>Posts to an incoming webhook: 200 "ok", or an error code with a status (B9).</summary>
    public Task PostWebhookAsync(Uri webhook, string paceKey, WebhookMessage message, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(message, SlackJson.Context.WebhookMessage);
        return SendAsync(
            "an incoming-webhook post",
            paceKey,
            () => new HttpRequestMessage(HttpMethod.Post, webhook) { Content = Json(body) },
            (status, text) => IsSuccess(status)
                ? Attempt.Done(true)
                : throw SlackErrors.ToException("an incoming-webhook post", ErrorCode(status, text), SlackErrors.ClassifyWebhook(status, text.Trim())),
            cancellationToken);
    }

    /// <summary>Answers a slash command later through its response_url (no token; up to 5 times within 30 minutes).</summary>
    public Task PostResponseAsync(Uri responseUrl, SlashCommandResponse response, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(response, SlackJson.Context.SlashCommandResponse);
        return SendAsync(
            "a response_url post",
            paceKey: null,
            () => new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = Json(body) },
            (status, text) => IsSuccess(status)
                ? Attempt.Done(true)
                : throw SlackErrors.ToException(
                    "a response_url post",
                    ErrorCode(status, text),
                    status is HttpStatusCode.NotFound or HttpStatusCode.Gone ? ChatDeliveryFailure.TargetUnavailable : ChatDeliveryFailure.Rejected),
            cancellationToken);
    }

    private Task<SlackApiResponse> CallAsync(string method, Func<HttpContent> content, string? token, string? paceKey, CancellationToken cancellationToken) =>
        SendAsync(
            method,
            paceKey,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, method) { Content = content() };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return request;
            },
            (status, text) => Interpret(method, status, text),
            cancellationToken);

    private static Attempt<SlackApiResponse> Interpret(string method, HttpStatusCode status, string text)
    {
        SlackApiResponse? response;
        try
        {
            response = JsonSerializer.Deserialize(text, SlackJson.Context.SlackApiResponse);
        }
        catch (JsonException)
        {
            response = null;
        }

        if (response is null)
        {
            // Slack's 5xx pages are HTML; a non-JSON answer otherwise is a proxy or an outage, not a verdict.
            return IsSuccess(status)
                ? Attempt.Retry<SlackApiResponse>("an answer that is not JSON")
                : throw SlackErrors.ToException(method, ErrorCode(status, ""), ChatDeliveryFailure.Rejected);
        }

        if (response.Ok)
        {
            return Attempt.Done(response);
        }

        var error = response.Error ?? ErrorCode(status, "");
        return SlackErrors.IsRateLimit(error) ? Attempt.RateLimit<SlackApiResponse>()
            : SlackErrors.IsTransient(error) ? Attempt.Retry<SlackApiResponse>(error)
            : throw SlackErrors.ToException(method, error, SlackErrors.Classify(error));
    }

    private async Task<T> SendAsync<T>(
        string what,
        string? paceKey,
        Func<HttpRequestMessage> createRequest,
        Func<HttpStatusCode, string, Attempt<T>> interpret,
        CancellationToken cancellationToken)
    {
        var failures = 0;
        var rateLimits = 0;
        while (true)
        {
            if (paceKey is not null)
            {
                await pacer.WaitTurnAsync(paceKey, cancellationToken);
            }

            Attempt<T> attempt;
            TimeSpan? retryAfter;
            using (var request = createRequest())
            using (var response = await http.SendAsync(request, cancellationToken))
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                retryAfter = response.StatusCode == HttpStatusCode.TooManyRequests ? RetryAfterHeader.Parse(response.Headers.RetryAfter, timeProvider) : null;
                attempt = response.StatusCode == HttpStatusCode.TooManyRequests ? Attempt.RateLimit<T>()
                    : (int)response.StatusCode >= 500 ? Attempt.Retry<T>($"HTTP {(int)response.StatusCode}")
                    : interpret(response.StatusCode, text);
            }

            if (attempt.IsDone)
            {
                return attempt.Value!;
            }

            if (attempt.IsRateLimit)
            {
                if (++rateLimits > options.Value.MaxRateLimitWaits)
                {
                    throw new HttpRequestException($"Slack still rate-limits {what} after {options.Value.MaxRateLimitWaits} waits", null, HttpStatusCode.TooManyRequests);
                }

                // Slack says how long; without a Retry-After, wait as long as for a server error.
                var wait = retryAfter ?? options.Value.RetryDelay;
                Log.RateLimited(logger, what, wait);
                if (paceKey is not null)
                {
                    // Later messages to this channel wait too, not just this one.
                    pacer.Defer(paceKey, wait);
                }
                else
                {
                    await Task.Delay(wait, timeProvider, cancellationToken);
                }

                continue;
            }

            if (++failures >= options.Value.MaxAttempts)
            {
                throw new HttpRequestException($"Slack failed {what} {failures} times, last with {attempt.Problem}");
            }

            var delay = RetryBackoff.Doubling(options.Value.RetryDelay, failures, MaxRetryDelay);
            Log.Retrying(logger, what, attempt.Problem!, delay);
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, JsonMediaType);

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    /// <summary>Slack's error code from a plain-text body ("channel_not_found"), else one made of the status.</summary>
    private static string ErrorCode(HttpStatusCode status, string text)
    {
        var code = text.Trim();
        return code.Length is > 0 and <= 64 && code.All(c => char.IsAsciiLetterLower(c) || c == '_') ? code : $"http_{(int)status}";
    }

    /// <summary>What one try came to: done, wait out a rate limit, or try again after a server failure.</summary>
    private readonly record struct Attempt<T>(bool IsDone, T? Value, bool IsRateLimit, string? Problem);

    private static class Attempt
    {
        public static Attempt<T> Done<T>(T value) => new(true, value, false, null);

        public static Attempt<T> RateLimit<T>() => new(false, default, true, null);

        public static Attempt<T> Retry<T>(string problem) => new(false, default, false, problem);
    }
}
