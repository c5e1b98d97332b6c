using System.Collections.Concurrent;
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

    /// <summary>The channel refused the bot; the subscription waits for a person (see <see cref="ISubscriptionStore.PauseAsync"/>).</summary>
    Paused,
}

/// <summary>
/// Delivers a subscription's scheduled digests through the outbox (<see cref="IDigestOutbox"/>). A fire time's digest is
/// decided once: the items no earlier digest of the subscription claimed, rendered into its platform's parts, all stored
/// in one transaction before anything is posted. Posting is a separate step that resumes at the first part not yet
/// accepted, so a crash or a failed post neither re-decides a digest nor loses or repeats an item. A subscription's
/// digests go out in fire-time order: an unfinished one is finished before the next is decided.
/// </summary>
internal sealed class DigestDispatcher(
    IItemStore items,
    IDigestOutbox outbox,
    ChatAdapters adapters,
    ISubscriptionStore subscriptions,
    OpsChannel ops,
    IOptions<DigestOptions> options,
    TimeProvider timeProvider,
    ILogger<DigestDispatcher> logger)
{
    /// <summary>One delivery per subscription at a time in this process: a fire and a retry of the same digest must not interleave.</summary>
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _subscriptionTurns = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="fireTime">The scheduled time this digest is for; a digest is decided once per fire time.</param>
    public Task<DigestOutcome> SendAsync(Subscription subscription, DateTimeOffset fireTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return InTurnAsync(subscription.Id, async () =>
        {
            if (await FinishUnfinishedAsync(subscription, cancellationToken) is DigestOutcome.Paused)
            {
                return DigestOutcome.Paused;
            }

            if (await outbox.IsDecidedAsync(subscription.Id, fireTime, cancellationToken))
            {
                Log.DigestAlreadySent(logger, subscription.Id, fireTime);
                return DigestOutcome.AlreadySent;
            }

            var digest = await DecideAsync(subscription, fireTime, cancellationToken);
            return digest is null ? DigestOutcome.NothingNew : await DeliverAsync(subscription, digest, cancellationToken);
        },
        cancellationToken);
    }

    /// <summary>Posts what is left of the subscription's decided digests, e.g. after a crash or a platform outage.</summary>
    /// <returns>Null when nothing was left, else what became of the last digest posted.</returns>
    public Task<DigestOutcome?> ResumeAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return InTurnAsync(subscription.Id, () => FinishUnfinishedAsync(subscription, cancellationToken), cancellationToken);
    }

    private async Task<T> InTurnAsync<T>(string subscriptionId, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var turn = _subscriptionTurns.GetOrAdd(subscriptionId, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            turn.Release();
        }
    }

    private async Task<DigestOutcome?> FinishUnfinishedAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        if (await subscriptions.GetPauseAsync(subscription.Id, cancellationToken) is { } pause)
        {
            Log.DigestPaused(logger, subscription.Id, pause.Reason);
            return DigestOutcome.Paused;
        }

        DigestOutcome? outcome = null;
        foreach (var digest in await outbox.ListUnfinishedAsync(subscription.Id, cancellationToken))
        {
            Log.DigestResumed(logger, subscription.Id, digest.FireTime, digest.NextPart!.Index + 1, digest.Parts.Count);
            outcome = await DeliverAsync(subscription, digest, cancellationToken);
            if (outcome == DigestOutcome.Paused)
            {
                break;
            }
        }

        return outcome;
    }

    /// <summary>Older items are stored and searchable, but not news to this subscription.</summary>
    private DateTimeOffset OldestDeliverable(Subscription subscription, DateTimeOffset now)
    {
        var byAge = now - (subscription.MaxItemAge ?? options.Value.MaxItemAge);
        return subscription.CreatedAt is { } created && created > byAge ? created : byAge;
    }

    /// <returns>The decided digest, or null when no item is waiting for the subscription.</returns>
    private async Task<DecidedDigest?> DecideAsync(Subscription subscription, DateTimeOffset fireTime, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var start = await outbox.GetDeliveryStartAsync(subscription.Id, now - options.Value.FirstDigestWindow, cancellationToken);

        // Selected by claim, not by a clock window: an item committed after a window closed is still unclaimed later.
        var found = await items.FindAsync(
            new ItemQuery(
                start,
                Topics: subscription.Topics,
                Countries: subscription.Countries,
                Limit: options.Value.MaxItemsPerDigest,
                PublishedSince: OldestDeliverable(subscription, now),
                UndeliveredTo: subscription.Id,
                OldestFirst: true),
            cancellationToken);
        var since = (await outbox.ListRecentAsync(subscription.Id, 1, cancellationToken)) is [var previous] ? previous.DecidedAt : start;
        var digest = DigestBuilder.Build(
            new DigestRequest($"Digest {subscription.Id}", since, now, subscription.Topics, subscription.Countries, MaxItemsPerTopic: int.MaxValue),
            found);
        if (digest.IsEmpty)
        {
            Log.DigestEmpty(logger, subscription.Id, since);
            return null;
        }

        var key = DigestKeys.For(subscription.Id, fireTime);
        var bodies = adapters.For(subscription.Target.Platform).RenderDigest(subscription.Target, digest, key);
        var decided = new DecidedDigest(
            key, subscription.Id, fireTime, subscription.Target, now, digest.ItemIds, [.. bodies.Select((body, index) => new DigestPart(index, body))]);
        if (!await outbox.TryDecideAsync(decided, cancellationToken))
        {
            // Only a second deliverer could have decided this fire time or claimed these items meanwhile; it delivers them.
            Log.DigestDecidedElsewhere(logger, subscription.Id, fireTime);
            return null;
        }

        Log.DigestDecided(logger, subscription.Id, fireTime, decided.ItemIds.Count, decided.Parts.Count);
        return decided;
    }

    private async Task<DigestOutcome> DeliverAsync(Subscription subscription, DecidedDigest digest, CancellationToken cancellationToken)
    {
        var adapter = adapters.For(digest.Target.Platform);
        var firstPartReceipt = digest.Parts[0].Receipt;
        foreach (var part in digest.Parts.Where(p => !p.Accepted))
        {
            // Durable before the post: after a crash past this line the part's outcome is known to be unknown.
            await outbox.RecordAttemptAsync(digest.Key, part.Index, timeProvider.GetUtcNow(), cancellationToken);
            string? receipt;
            try
            {
                receipt = await adapter.PostDigestPartAsync(
                    digest.Target,
                    new DigestPartPost(digest.Key, part.Index, digest.Parts.Count, part.Body, firstPartReceipt, digest.DecidedAt, MayAlreadyBePosted: part.Attempts > 0),
                    cancellationToken);
            }
            catch (ChatDeliveryException e)
            {
                await PauseAsync(subscription, digest, part, e, cancellationToken);
                return DigestOutcome.Paused;
            }

            await outbox.RecordAcceptedAsync(digest.Key, part.Index, receipt, timeProvider.GetUtcNow(), cancellationToken);
            if (part.Index == 0)
            {
                firstPartReceipt = receipt;
            }
        }

        Log.DigestSent(logger, subscription.Id, digest.Target, digest.ItemIds.Count);
        return DigestOutcome.Sent;
    }

    /// <summary>
    /// A refusal that retrying cannot fix (the channel is gone or closed to the bot, the token is revoked, or the
    /// platform calls the message malformed): retrying only earns the bot a ban, so stop and tell a person. The
    /// digest stays decided and goes on from this part once the subscription is resumed.
    /// </summary>
    private async Task PauseAsync(Subscription subscription, DecidedDigest digest, DigestPart part, ChatDeliveryException e, CancellationToken cancellationToken)
    {
        var reason = $"{digest.Target} refused part {part.Index + 1}/{digest.Parts.Count} of the digest ({e.PlatformError}): {e.Message}";
        await subscriptions.PauseAsync(subscription.Id, reason, cancellationToken);
        Log.SubscriptionPaused(logger, e, subscription.Id, digest.Target);
        await ops.TellAsync(
            $"Subscription '{subscription.Id}' is paused: {reason}. Its items wait. Fix the channel, then run " +
            $"'subscriptions resume {subscription.Id}' or subscribe the channel again.",
            cancellationToken);
    }
}
