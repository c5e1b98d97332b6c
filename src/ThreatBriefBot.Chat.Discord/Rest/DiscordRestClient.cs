using System.Net.Http.Headers;
using System.Net;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Chat.Discord.Rest;

/// <summary>What Discord answered: the status, the raw body, and the error body when there is one.</summary>
internal sealed record DiscordResponse(HttpStatusCode Status, string Body, DiscordErrorBody? Error)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>Discord's JSON error code as text ("10003"), else the HTTP status ("404").</summary>
    public string ErrorCode => Error?.Code is { } code and not 0 ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : ((int)Status).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Describe() => $"{(int)Status} {Error?.Message ?? Status.ToString()} (code {ErrorCode})";
}

/// <summary>
/// Discord's REST API, the typed HttpClient: every call names its route so <see cref="DiscordRateLimiter"/> can
/// hold it to its bucket. Retries only what Discord refused (429) or never answered, and a POST only when it
/// carries a nonce: a timed-out message may already be posted.
/// </summary>
internal sealed class DiscordRestClient(
    HttpClient http,
    DiscordRateLimiter limiter,
    IOptions<DiscordOptions> options,
    TimeProvider timeProvider,
    ILogger<DiscordRestClient> logger)
{
    /// <summary>Transient failures are retried at most this far apart.</summary>
    private static readonly TimeSpan MaxRetryBackoff = TimeSpan.FromMinutes(1);

    public const string UserAgent = "DiscordBot (https://github.com/threatbriefbot/threatbriefbot, 1.0)";

    /// <summary>A guard against a loop: Discord's 429s are waited out, but not forever.</summary>
    private const int MaxRateLimitedAttempts = 100;

    public Task<DiscordResponse> CreateMessageAsync(string channelId, DiscordMessage message, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"channels/{channelId}/messages", Json(message, DiscordJsonContext.Default.DiscordMessage), Access.Bot, idempotent: message.Nonce is not null, cancellationToken);

    /// <summary>With <c>wait=true</c>, so a message that fails to save is an error rather than a silent 204.</summary>
    public Task<DiscordResponse> ExecuteWebhookAsync(string webhookId, string webhookToken, DiscordMessage message, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"webhooks/{webhookId}/{webhookToken}?wait=true", Json(message, DiscordJsonContext.Default.DiscordMessage), Access.Anonymous, idempotent: false, cancellationToken);

    public Task<DiscordResponse> BulkOverwriteCommandsAsync(string applicationId, string? guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken cancellationToken) =>
        SendAsync(
            HttpMethod.Put,
            guildId is null ? $"applications/{applicationId}/commands" : $"applications/{applicationId}/guilds/{guildId}/commands",
            Json(commands, DiscordJsonContext.Default.IReadOnlyListApplicationCommand),
            Access.Bot,
            idempotent: true,
            cancellationToken);

    /// <summary>Not retried on a timeout: a second callback for one interaction is refused (40060).</summary>
    public Task<DiscordResponse> CreateInteractionResponseAsync(string interactionId, string token, InteractionResponse response, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"interactions/{interactionId}/{token}/callback", Json(response, DiscordJsonContext.Default.InteractionResponse), Access.Interaction, idempotent: false, cancellationToken);

    public Task<DiscordResponse> EditOriginalResponseAsync(string applicationId, string token, DiscordMessage message, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, $"webhooks/{applicationId}/{token}/messages/@original", Json(message, DiscordJsonContext.Default.DiscordMessage), Access.Interaction, idempotent: true, cancellationToken);

    public Task<DiscordResponse> CreateFollowupMessageAsync(string applicationId, string token, DiscordMessage message, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"webhooks/{applicationId}/{token}", Json(message, DiscordJsonContext.Default.DiscordMessage), Access.Interaction, idempotent: false, cancellationToken);

    public async Task<GatewayBotResponse> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, "gateway/bot", null, Access.Bot, idempotent: true, cancellationToken);
        if (!response.IsSuccess)
        {
            throw new HttpRequestException($"GET gateway/bot: {response.Describe()}", null, response.Status);
        }

        return JsonSerializer.Deserialize(response.Body, DiscordJsonContext.Default.GatewayBotResponse)
            ?? throw new HttpRequestException("GET gateway/bot: empty body");
    }

    private async Task<DiscordResponse> SendAsync(HttpMethod method, string path, string? body, Access access, bool idempotent, CancellationToken cancellationToken)
    {
        if (access == Access.Bot && limiter.TokenRejected)
        {
            throw new ChatDeliveryException(
                ChatDeliveryFailure.NotAuthorized,
                "401",
                $"Discord rejected the bot token earlier; set a valid {DiscordOptions.SectionName}:BotToken and restart.");
        }

        var route = RateLimitRoute.For(method, path);
        var transientFailures = 0;
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? rateLimitWait;
            using (await limiter.AcquireAsync(route, global: access != Access.Interaction, cancellationToken))
            {
                using var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }

                if (access == Access.Bot)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bot", options.Value.BotToken);
                }

                HttpResponseMessage response;
                using var timer = new CancellationTokenSource(options.Value.RequestTimeout, timeProvider);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
                try
                {
                    response = await http.SendAsync(request, timeout.Token);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException)
                {
                    if (!idempotent || ++transientFailures > options.Value.MaxTransientRetries)
                    {
                        throw new HttpRequestException($"{method} {route.Template}: {(e is OperationCanceledException ? "timed out" : e.Message)}", e);
                    }

                    Log.RequestRetried(logger, route.Template, e.Message, transientFailures);
                    await Task.Delay(Backoff(transientFailures), timeProvider, cancellationToken);
                    continue;
                }

                using (response)
                {
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    var error = response.IsSuccessStatusCode ? null : ParseError(text);
                    rateLimitWait = limiter.Update(route, response, error);
                    if (response.StatusCode == HttpStatusCode.Unauthorized && access == Access.Bot)
                    {
                        limiter.TokenRejected = true;
                        Log.TokenRejected(logger, route.Template);
                    }

                    if (rateLimitWait is null)
                    {
                        var status = (int)response.StatusCode;
                        if (status is 500 or 502 or 503 or 504 && idempotent && ++transientFailures <= options.Value.MaxTransientRetries)
                        {
                            Log.RequestRetried(logger, route.Template, $"{status} {response.ReasonPhrase}", transientFailures);
                            await Task.Delay(Backoff(transientFailures), timeProvider, cancellationToken);
                            continue;
                        }

                        return new DiscordResponse(response.StatusCode, text, error);
                    }

                    Log.RateLimited(logger, route.Template, rateLimitWait.Value.TotalSeconds, error?.Global == true);
                    if (attempt >= MaxRateLimitedAttempts)
                    {
                        throw new HttpRequestException($"{method} {route.Template}: still rate limited after {attempt} attempts", null, HttpStatusCode.TooManyRequests);
                    }
                }
            }

            // Out of the route's turn, so a shared-resource wait does not hold up the route's other requests' bookkeeping.
            await Task.Delay(rateLimitWait.Value, timeProvider, cancellationToken);
        }
    }

    private TimeSpan Backoff(int failures) => RetryBackoff.Doubling(options.Value.RetryBackoff, failures, MaxRetryBackoff);

    private static DiscordErrorBody? ParseError(string text)
    {
        try
        {
            return text.Length > 0 && text[0] == '{' ? JsonSerializer.Deserialize(text, DiscordJsonContext.Default.DiscordErrorBody) : null;
        }
        catch (JsonException)
        {
            // A Cloudflare page or a proxy's HTML: the status says enough.
            return null;
        }
    }

    private static string Json<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    private enum Access
    {
        /// <summary>Authorization: Bot token.</summary>
        Bot,

        /// <summary>Webhook URLs carry their own token.</summary>
        Anonymous,

        /// <summary>Interaction callbacks and follow-ups: the interaction token is the credential, and no global limit.</summary>
        Interaction,
    }
}
