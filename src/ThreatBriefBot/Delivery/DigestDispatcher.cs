using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Core.Subscriptions;

namespace ThreatBriefBot.Delivery;

internal enum DigestOutcome
{
    Sent,
    NothingNew,
    AlreadySent,

    /// <summary>The channel refused the bot for good; the subscription waits for a person (see <see cref="ISubscriptionStore.PauseAsync"/>).</summary>
    Paused,
}

/// <summary>
/// Sends one subscription's digest: the matching items stored since its last digest. Windows chain end to start,
/// so an item is in exactly one digest, and a digest that was not sent leaves its items to the next one.
/// </summary>
internal sealed class DigestDispatcher(
    IItemStore items,
    IDigestLog digestLog,
    ChatAdapters adapters,
    ISubscriptionStore subscriptions,
    OpsChannel ops,
    IOptions<DigestOptions> options,
    TimeProvider timeProvider,
    ILogger<DigestDispatcher> logger)
{
    /// <summary>Older items are stored and searchable, but not news to this subscription.</summary>
    private DateTimeOffset OldestDeliverable(Subscription subscription, DateTimeOffset now)
    {
        var byAge = now - (subscription.MaxItemAge ?? options.Value.MaxItemAge);
        return subscription.CreatedAt is { } created && created > byAge ? created : byAge;
    }

    /// <param name="fireTime">The scheduled time this digest is for; a digest goes out once per fire time.</param>
    public async Task<DigestOutcome> SendAsync(Subscription subscription, DateTimeOffset fireTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (await subscriptions.GetPauseAsync(subscription.Id, cancellationToken) is { } pause)
        {
            Log.DigestPaused(logger, subscription.Id, pause.Reason);
            return DigestOutcome.Paused;
        }

        var last = await digestLog.GetLastAsync(subscription.Id, cancellationToken);
        if (last is not null && last.FireTime == fireTime)
        {
            Log.DigestAlreadySent(logger, subscription.Id, fireTime);
            return DigestOutcome.AlreadySent;
        }

        var until = timeProvider.GetUtcNow();
        var since = last?.WindowEnd ?? until - options.Value.FirstDigestWindow;
        var found = await items.FindAsync(
            new ItemQuery(since, until, subscription.Topics, subscription.Countries, PublishedSince: OldestDeliverable(subscription, until)),
            cancellationToken);
        var digest = DigestBuilder.Build(
            new DigestRequest($"Digest {subscription.Id}", since, until, subscription.Topics, subscription.Countries, options.Value.MaxItemsPerTopic),
            found);
        if (digest.IsEmpty)
        {
            Log.DigestEmpty(logger, subscription.Id, since);
            return DigestOutcome.NothingNew;
        }

        try
        {
            await adapters.For(subscription.Target.Platform).PostDigestAsync(subscription.Target, digest, cancellationToken);
        }
        catch (ChatDeliveryException e) when (e.PausesTarget)
        {
            // Retrying a channel that is gone or closed to us only earns the bot a ban: stop, and tell a person.
            var reason = $"{subscription.Target} refused the digest ({e.PlatformError}): {e.Message}";
            await subscriptions.PauseAsync(subscription.Id, reason, cancellationToken);
            Log.SubscriptionPaused(logger, e, subscription.Id, subscription.Target);
            await ops.TellAsync(
                $"Subscription '{subscription.Id}' is paused: {reason}. Its items wait. Fix the channel, then run " +
                $"'subscriptions resume {subscription.Id}' or subscribe the channel again.",
                cancellationToken);
            return DigestOutcome.Paused;
        }

        // Recorded only once the channel accepted it: a crash before this line re-sends rather than loses.
        await digestLog.TryRecordAsync(
            new DigestRecord(subscription.Id, fireTime, since, until, timeProvider.GetUtcNow(), digest.ItemIds),
            cancellationToken);
        Log.DigestSent(logger, subscription.Id, subscription.Target, digest.ItemIds.Count);
        return DigestOutcome.Sent;
    }
}
