using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Chat.Slack.WebApi;

/// <summary>
/// The Slack client's handlers, outer to inner: 429s (and "rate_limited") waited out per Retry-After for every
/// method, since Slack did nothing; then transient failures (5xx, timeouts, broken connections, non-JSON answers,
/// internal_error …) retried with jittered backoff, only for calls marked <see cref="SlackCall.RetrySafe"/>: a
/// post whose outcome is unknown is left to the caller; then <see cref="ChannelPacingHandler"/>; then the timeout
/// of one attempt, around <see cref="ResponseBufferingHandler"/> so it bounds the body too.
/// </summary>
internal static class SlackResilience
{
    /// <summary>Transient failures are retried at most this far apart.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    public static void AddSlackResilience(this IHttpClientBuilder client)
    {
        client.AddResilienceHandler("slack-retries", (pipeline, context) => AddRetries(pipeline, context.ServiceProvider));
        client.AddHttpMessageHandler<ChannelPacingHandler>();
        client.AddResilienceHandler("slack-attempt", (pipeline, context) =>
        {
            var services = context.ServiceProvider;
            pipeline.TimeProvider = services.GetRequiredService<TimeProvider>();
            pipeline.AddTimeout(services.GetRequiredService<IOptions<SlackOptions>>().Value.RequestTimeout);
        });
        client.AddHttpMessageHandler(() => new ResponseBufferingHandler());
    }

    private static void AddRetries(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SlackOptions>>().Value;
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var pacer = services.GetRequiredService<ChannelPacer>();
        var logger = services.GetRequiredService<ILogger<SlackWebApiClient>>();
        pipeline.TimeProvider = timeProvider;
        pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            Name = "rate-limits",
            MaxRetryAttempts = options.MaxRateLimitWaits,
            BackoffType = DelayBackoffType.Constant,

            // Without a Retry-After, wait as long as for a server error.
            Delay = options.RetryDelay,
            ShouldHandle = async args => args.Outcome.Result is { } response
                && (await SlackAnswer.ReadAsync(response, args.Context.CancellationToken)).Verdict == SlackVerdict.RateLimited,
            DelayGenerator = args => ValueTask.FromResult(RetryAfterHeader.Parse(args.Outcome.Result?.Headers.RetryAfter, timeProvider)),
            OnRetry = args =>
            {
                var call = SlackCall.Of(args.Context);
                Log.RateLimited(logger, call.What, args.RetryDelay);
                if (call.PaceKey is { } channel)
                {
                    // Later messages to this channel wait too, not just this one.
                    pacer.Defer(channel, args.RetryDelay);
                }

                return default;
            },
        });

        // MaxAttempts counts the first try; Polly counts only retries, and at least one.
        if (options.MaxAttempts > 1)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "transient",
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.RetryDelay,
                MaxDelay = MaxRetryDelay,
                UseJitter = true,
                Randomizer = services.GetRequiredService<RetryJitter>().Randomizer,
                ShouldHandle = async args => SlackCall.Of(args.Context).RetrySafe && args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result: { } response } => (await SlackAnswer.ReadAsync(response, args.Context.CancellationToken)).Verdict == SlackVerdict.Transient,
                    _ => false,
                },
                OnRetry = async args =>
                {
                    var problem = args.Outcome.Result is { } response
                        ? (await SlackAnswer.ReadAsync(response, args.Context.CancellationToken)).Problem
                        : args.Outcome.Exception?.Message ?? "";
                    Log.Retrying(logger, SlackCall.Of(args.Context).What, problem, args.RetryDelay);
                },
            });
        }
    }
}
