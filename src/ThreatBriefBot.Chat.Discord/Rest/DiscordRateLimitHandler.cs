using System.Net;
using Microsoft.Extensions.Logging;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Discord.Rest;

/// <summary>
/// <see cref="DiscordRateLimiter"/> inside the retry pipeline: each attempt takes its route's turn and bucket, and
/// the limiter learns from each answer (a 429's wait is left on the request for the retry strategy). After a 401
/// to a bot request, later bot requests fail here without reaching Discord.
/// </summary>
internal sealed class DiscordRateLimitHandler(DiscordRateLimiter limiter, ILogger<DiscordRestClient> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = DiscordCall.Of(request);
        if (call.Access == DiscordAccess.Bot && limiter.TokenRejected)
        {
            throw new ChatDeliveryException(
                ChatDeliveryFailure.NotAuthorized,
                "401",
                $"Discord rejected the bot token earlier; set a valid {DiscordOptions.SectionName}:BotToken and restart.");
        }

        using (await limiter.AcquireAsync(call.Route, global: call.Access != DiscordAccess.Interaction, cancellationToken))
        {
            var response = await base.SendAsync(request, cancellationToken);
            try
            {
                // Read within the route's turn (already buffered within the attempt): the limiter needs a 429's retry_after.
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                var error = response.IsSuccessStatusCode ? null : DiscordErrorBody.Parse(text);
                if (limiter.Update(call.Route, response, error) is { } wait)
                {
                    request.Options.Set(DiscordCall.RateLimitedKey, new RateLimitedAnswer(wait, error?.Global == true));
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized && call.Access == DiscordAccess.Bot)
                {
                    limiter.TokenRejected = true;
                    Log.TokenRejected(logger, call.Route.Template);
                }

                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }
}
