using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Core.Subscriptions;

namespace ThreatBriefBot.Delivery;

/// <summary>
/// Posts what is left of decided digests at start-up (a crash between parts) and every
/// <see cref="DigestOptions.RetryUnfinishedEvery"/> after (a platform outage), instead of waiting for each
/// subscription's next fire, which may be a day away.
/// </summary>
internal sealed class UnfinishedDigestsRetrier(
    IDigestOutbox outbox,
    SubscriptionCatalog catalog,
    DigestDispatcher dispatcher,
    IOptions<DigestOptions> options,
    TimeProvider timeProvider,
    ILogger<UnfinishedDigestsRetrier> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetryUnfinishedEvery, timeProvider);
        do
        {
            await RetryAllAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Never throws but for cancellation: one subscription's failure must not stop the others' retries.</summary>
    public async Task RetryAllAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> ids;
        Dictionary<string, Subscription> subscriptions;
        try
        {
            ids = await outbox.ListSubscriptionsWithUnfinishedAsync(cancellationToken);
            subscriptions = ids.Count == 0
                ? []
                : (await catalog.ListAsync(cancellationToken)).DistinctBy(s => s.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(s => s.Id, StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.UnfinishedNotListed(logger, e);
            return;
        }

        foreach (var id in ids)
        {
            try
            {
                if (subscriptions.GetValueOrDefault(id) is { } subscription)
                {
                    await dispatcher.ResumeAsync(subscription, cancellationToken);
                }
                else
                {
                    Log.UnfinishedOfRemovedSubscription(logger, id);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.DigestFailed(logger, e, id);
            }
        }
    }
}
