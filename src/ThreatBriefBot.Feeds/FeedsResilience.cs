using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Feeds;

/// <summary>
/// The feed client's one strategy: a GET whose connection was refused, reset or closed before any answer is sent
/// again (GETs are idempotent). Answers are never retried here: a 429/503's Retry-After and a failure's backoff
/// belong to the feed's poll state (PollBackoff), and the fetcher's timeout bounds the whole fetch.
/// </summary>
internal static class FeedsResilience
{
    /// <summary>
    /// Failures another try does not fix: an unknown name, a bad certificate, a server that does not speak HTTP.
    /// Everything else (refused, reset, closed before answering) is connection trouble worth one more try.
    /// </summary>
    private static readonly HttpRequestError[] Permanent =
    [
        HttpRequestError.NameResolutionError, HttpRequestError.SecureConnectionError, HttpRequestError.InvalidResponse,
        HttpRequestError.VersionNegotiationError, HttpRequestError.ExtendedConnectNotSupported, HttpRequestError.ConfigurationLimitExceeded,
        HttpRequestError.ProxyTunnelError,
    ];

    public static void AddFeedsResilience(this IHttpClientBuilder client) =>
        client.AddResilienceHandler("feeds-retries", (pipeline, context) =>
        {
            var services = context.ServiceProvider;
            var options = services.GetRequiredService<IOptions<FeedsOptions>>().Value;
            pipeline.TimeProvider = services.GetRequiredService<TimeProvider>();
            if (options.MaxTransientRetries == 0)
            {
                return;
            }

            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "connection",
                MaxRetryAttempts = options.MaxTransientRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.RetryBackoff,
                UseJitter = true,
                Randomizer = services.GetRequiredService<RetryJitter>().Randomizer,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Context.GetRequestMessage()?.Method == HttpMethod.Get
                    && args.Outcome.Exception is HttpRequestException { HttpRequestError: var error }
                    && !Permanent.Contains(error)),
            });
        });
}
