using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Chat.Discord.Rest;

/// <summary>
/// The REST client's handlers, outer to inner: 429s waited out for as long as Discord said (route, global or
/// shared), for every request, since Discord did nothing; then 5xx, timeouts and broken connections retried with
/// jittered backoff, only for <see cref="DiscordCall.Idempotent"/> requests: a webhook execute, an interaction
/// callback or follow-up, or a message without a nonce may already be posted; then
/// <see cref="DiscordRateLimitHandler"/>; then the timeout of one attempt (inside the limiter, so waiting for a
/// bucket is not a timeout), around <see cref="ResponseBufferingHandler"/> so it bounds the body too.
/// </summary>
internal static class DiscordResilience
{
    /// <summary>A guard against a loop: Discord's 429s are waited out, but not forever.</summary>
    public const int MaxRateLimitedAttempts = 100;

    /// <summary>Transient failures are retried at most this far apart.</summary>
    private static readonly TimeSpan MaxRetryBackoff = TimeSpan.FromMinutes(1);

    public static void AddDiscordResilience(this IHttpClientBuilder client)
    {
        client.AddResilienceHandler("discord-retries", (pipeline, context) => AddRetries(pipeline, context.ServiceProvider));
        client.AddHttpMessageHandler<DiscordRateLimitHandler>();
        client.AddResilienceHandler("discord-attempt", (pipeline, context) =>
        {
            var services = context.ServiceProvider;
            pipeline.TimeProvider = services.GetRequiredService<TimeProvider>();
            pipeline.AddTimeout(services.GetRequiredService<IOptions<DiscordOptions>>().Value.RequestTimeout);
        });
        client.AddHttpMessageHandler(() => new ResponseBufferingHandler());
    }

    private static void AddRetries(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DiscordOptions>>().Value;
        var logger = services.GetRequiredService<ILogger<DiscordRestClient>>();
        pipeline.TimeProvider = services.GetRequiredService<TimeProvider>();
        pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            Name = "rate-limits",
            MaxRetryAttempts = MaxRateLimitedAttempts - 1,
            BackoffType = DelayBackoffType.Constant,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
            DelayGenerator = args => ValueTask.FromResult(RateLimited(args.Context)?.Wait),
            OnRetry = args =>
            {
                var route = DiscordCall.Of(args.Context).Route.Template;
                var global = RateLimited(args.Context)?.Global == true;
                Log.RateLimited(logger, route, args.RetryDelay.TotalSeconds, global);
                return default;
            },
        });

        if (options.MaxTransientRetries > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "transient",
                MaxRetryAttempts = options.MaxTransientRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.RetryBackoff,
                MaxDelay = MaxRetryBackoff,
                UseJitter = true,
                Randomizer = services.GetRequiredService<RetryJitter>().Randomizer,
                ShouldHandle = args => ValueTask.FromResult(DiscordCall.Of(args.Context).Idempotent && args.Outcome switch
                {
                    // Refused before sending, for the IP's sake: another try now is refused the same way.
                    { Exception: InvalidRequestLimitException } => false,
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result.StatusCode: HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
                    _ => false,
                }),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Result is { } response ? $"{(int)response.StatusCode} {response.ReasonPhrase}" : args.Outcome.Exception?.Message ?? "";
                    var route = DiscordCall.Of(args.Context).Route.Template;
                    Log.RequestRetried(logger, route, reason, args.AttemptNumber + 1);
                    return default;
                },
            });
        }
    }

    private static RateLimitedAnswer? RateLimited(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(DiscordCall.RateLimitedKey, out var answer) ? answer : null;
}
