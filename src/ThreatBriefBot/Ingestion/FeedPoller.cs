using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Feeds;

namespace ThreatBriefBot.Ingestion;

/// <summary>What one poll of one feed did.</summary>
/// <param name="NotDueUntil">Set when the poll was skipped because the feed asked not to be polled before then.</param>
internal sealed record PollReport(string Feed, FeedFetchStatus Status, int Added, int Merged, int Seen, string? Error, DateTimeOffset? NotDueUntil = null)
{
    public bool Failed => Status == FeedFetchStatus.Failed && NotDueUntil is null;

    public bool Skipped => NotDueUntil is not null;
}

/// <summary>
/// Fetches a feed, then classifies and stores each new entry, one transaction per entry, and only then moves the
/// feed's poll state on. A crash midway loses nothing: the next poll reads the feed again without validators and
/// skips the entries already stored. A feed is not polled before its state allows (the publisher's caching
/// headers or ttl, a Retry-After, or the back-off after failures) unless the poll is forced.
/// </summary>
internal sealed class FeedPoller(
    FeedFetcher fetcher,
    IItemStore items,
    IFeedStore feeds,
    IItemClassifier classifier,
    FeedHealthNotifier health,
    IOptions<PollingOptions> options,
    TimeProvider timeProvider,
    ILogger<FeedPoller> logger)
{
    /// <summary>Polls one feed; never throws but for cancellation, so one broken feed or store call cannot stop a cycle.</summary>
    public async Task<PollReport> PollAsync(FeedDefinition feed, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        try
        {
            return await PollOnceAsync(feed, force, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The feed's state is left as it was, so the next poll simply tries again.
            Log.PollCrashed(logger, e, feed.Name);
            return new PollReport(feed.Name, FeedFetchStatus.Failed, 0, 0, 0, $"unexpected error: {e.Message}");
        }
    }

    private async Task<PollReport> PollOnceAsync(FeedDefinition feed, bool force, CancellationToken cancellationToken)
    {
        var state = await feeds.GetPollStateAsync(feed.Name, cancellationToken);
        var started = timeProvider.GetUtcNow();
        if (!force && state.NextPollAt > started)
        {
            Log.FeedNotDue(logger, feed.Name, state.NextPollAt.Value);
            return new PollReport(feed.Name, FeedFetchStatus.NotModified, 0, 0, 0, null, state.NextPollAt);
        }

        var result = await fetcher.FetchAsync(state.RedirectedTo ?? feed.Source, state, cancellationToken);
        if (result.Status == FeedFetchStatus.Failed)
        {
            var failures = state.ConsecutiveFailures + 1;
            var failed = state with
            {
                LastAttempt = started,
                LastError = result.Error,
                ConsecutiveFailures = failures,
                NextPollAt = PollBackoff.AfterFailure(started, failures, result.RetryAfter, options.Value, Random.Shared.NextDouble()),
            };
            await feeds.SavePollStateAsync(failed, cancellationToken);
            Log.FeedFailed(logger, feed.Name, failures, result.Error ?? "unknown error");
            await health.FailedAsync(failed, cancellationToken);
            return new PollReport(feed.Name, result.Status, 0, 0, 0, result.Error);
        }

        int added = 0, merged = 0, seen = 0;
        if (result.Feed is { } parsed)
        {
            foreach (var item in FeedItemMapper.ToIncomingItems(feed.Name, parsed))
            {
                // Classifying costs more than asking, so entries seen before are skipped first.
                if (await items.ContainsEntryAsync(item.FeedName, item.EntryKey, cancellationToken))
                {
                    seen++;
                    continue;
                }

                var outcome = await items.AddAsync(item, classifier.Classify(item.Title, item.Summary), timeProvider.GetUtcNow(), cancellationToken);
                _ = outcome switch
                {
                    ItemStoreOutcome.Added => added++,
                    ItemStoreOutcome.MergedIntoStory => merged++,
                    _ => seen++,
                };
            }
        }

        if (result.MovedTo is { } moved && moved != (state.RedirectedTo ?? feed.Source))
        {
            Log.FeedMoved(logger, feed.Name, moved);
        }

        await feeds.SavePollStateAsync(
            state with
            {
                ETag = result.ETag ?? state.ETag,
                LastModified = result.LastModified ?? state.LastModified,
                LastAttempt = started,
                LastSuccess = started,
                LastError = null,
                ConsecutiveFailures = 0,
                NextPollAt = PollBackoff.AfterSuccess(started, result.FreshUntil, result.RetryAfter),
                RedirectedTo = result.MovedTo ?? state.RedirectedTo,
            },
            cancellationToken);
        await health.RecoveredAsync(feed.Name, state.ConsecutiveFailures, cancellationToken);

        if (result.Status == FeedFetchStatus.NotModified)
        {
            Log.FeedNotModified(logger, feed.Name);
        }
        else
        {
            Log.FeedPolled(logger, feed.Name, added, merged, seen);
        }

        return new PollReport(feed.Name, result.Status, added, merged, seen, null);
    }
}
