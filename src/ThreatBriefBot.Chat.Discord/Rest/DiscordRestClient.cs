using System.Net.Http.Headers;
using System.Net;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Options;
using Polly.Timeout;
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
/// Discord's REST API, the typed HttpClient: every call names its route, so <see cref="DiscordRateLimitHandler"/>
/// can hold it to its bucket, and says whether it is idempotent, so <see cref="DiscordResilience"/> retries only
/// what is safe to repeat: a timed-out message may already be posted.
/// </summary>
internal sealed class DiscordRestClient(HttpClient http, IOptions<DiscordOptions> options)
{
    public const string UserAgent = "DiscordBot (https://github.com/threatbriefbot/threatbriefbot, 1.0)";

    /// <summary>Retried after a timeout or 5xx only with a nonce, which Discord (enforce_nonce) uses to answer with the message already posted.</summary>
    public Task<DiscordResponse> CreateMessageAsync(string channelId, DiscordMessage message, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"channels/{channelId}/messages", Json(message, DiscordJsonContext.Default.DiscordMessage), DiscordAccess.Bot, idempotent: message.Nonce is not null, cancellationToken);

    /// <summary>With <c>wait=true</c>, so a message that fails to save is an error rather than a silent 204.</summary>
    public Task<DiscordResponse> ExecuteWebhookAsync(string webhookId, string webhookToken, DiscordMessage message, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"webhooks/{webhookId}/{webhookToken}?wait=true", Json(message, DiscordJsonContext.Default.DiscordMessage), DiscordAccess.Anonymous, idempotent: false, cancellationToken);

    public Task<DiscordResponse> BulkOverwriteCommandsAsync(string applicationId, string? guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken cancellationToken) =>
        SendAsync(
            HttpMethod.Put,
            guildId is null ? $"applications/{applicationId}/commands" : $"applications/{applicationId}/guilds/{guildId}/commands",
            Json(commands, DiscordJsonContext.Default.IReadOnlyListApplicationCommand),
            DiscordAccess.Bot,
            idempotent: true,
            cancellationToken);

    /// <summary>Not retried on a timeout: a second callback for one interaction is refused (40060).</summary>
    public Task<DiscordResponse> CreateInteractionResponseAsync(string interactionId, string token, InteractionResponse response, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"interactions/{interactionId}/{token}/callback", Json(response, DiscordJsonContext.Default.InteractionResponse), DiscordAccess.Interaction, idempotent: false, cancellationToken);

    public Task<DiscordResponse> EditOriginalResponseAsync(string applicationId, string token, DiscordMessage message, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, $"webhooks/{applicationId}/{token}/messages/@original", Json(message, DiscordJsonContext.Default.DiscordMessage), DiscordAccess.Interaction, idempotent: true, cancellationToken);

    public Task<DiscordResponse> CreateFollowupMessageAsync(string applicationId, string token, DiscordMessage message, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"webhooks/{applicationId}/{token}", Json(message, DiscordJsonContext.Default.DiscordMessage), DiscordAccess.Interaction, idempotent: false, cancellationToken);

    public async Task<GatewayBotResponse> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, "gateway/bot", null, DiscordAccess.Bot, idempotent: true, cancellationToken);
        if (!response.IsSuccess)
        {
            throw new HttpRequestException($"GET gateway/bot: {response.Describe()}", null, response.Status);
        }

        return JsonSerializer.Deserialize(response.Body, DiscordJsonContext.Default.GatewayBotResponse)
            ?? throw new HttpRequestException("GET gateway/bot: empty body");
    }

    /// <summary>
    /// Sends through the pipeline. A request that got no answer fails here: a non-idempotent one with
    /// <see cref="OutcomeUnknownException"/>, as it may have been carried out.
    /// </summary>
    private async Task<DiscordResponse> SendAsync(HttpMethod method, string path, string? body, DiscordAccess access, bool idempotent, CancellationToken cancellationToken)
    {
        var call = new DiscordCall(RateLimitRoute.For(method, path), access, idempotent);
        using var request = new HttpRequestMessage(method, path);
        request.Options.Set(DiscordCall.Key, call);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (access == DiscordAccess.Bot)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", options.Value.BotToken);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or TimeoutRejectedException && e is not InvalidRequestLimitException)
        {
            var problem = $"{call.Route.Template}: {(e is TimeoutRejectedException ? "timed out" : e.Message)}";
            throw idempotent
                ? new HttpRequestException(problem, e)
                : new OutcomeUnknownException($"{problem}; not sent again, since it may have been carried out", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw new HttpRequestException($"{call.Route.Template}: still rate limited after {DiscordResilience.MaxRateLimitedAttempts} attempts", null, HttpStatusCode.TooManyRequests);
            }

            return new DiscordResponse(response.StatusCode, text, response.IsSuccessStatusCode ? null : DiscordErrorBody.Parse(text));
        }
    }

    private static string Json<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);
}
