using Microsoft.Extensions.Logging;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Feeds;

namespace ThreatBriefBot.Ingestion;

/// <summary>What one poll of one feed did.</summary>
internal sealed record PollReport(string Feed, FeedFetchStatus Status, int Added, int Merged, int Seen, string? Error)
{
    public bool Failed => Status == FeedFetchStatus.Failed;
}

/// <summary>
/// Fetches a feed, then classifies and stores each new entry, one transaction per entry, and only then moves the
/// feed's poll state on. A crash midway loses nothing: the next poll reads the feed again without validators and
/// skips the entries already stored.
/// </summary>
internal sealed class FeedPoller(
    FeedFetcher fetcher,
    IItemStore items,
    IFeedStore feeds,
    IItemClassifier classifier,
    TimeProvider timeProvider,
    ILogger<FeedPoller> logger)
{
    public async Task<PollReport> PollAsync(FeedDefinition feed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var state = await feeds.GetPollStateAsync(feed.Name, cancellationToken);
        var result = await fetcher.FetchAsync(feed.Source, state, cancellationToken);
        var now = timeProvider.GetUtcNow();

        if (result.Status == FeedFetchStatus.Failed)
        {
            var failed = state with { LastAttempt = now, LastError = result.Error, ConsecutiveFailures = state.ConsecutiveFailures + 1 };
            await feeds.SavePollStateAsync(failed, cancellationToken);
            Log.FeedFailed(logger, feed.Name, failed.ConsecutiveFailures, result.Error ?? "unknown error");
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

        await feeds.SavePollStateAsync(
            state with
            {
                ETag = result.ETag ?? state.ETag,
                LastModified = result.LastModified ?? state.LastModified,
                LastAttempt = now,
                LastSuccess = now,
                LastError = null,
                ConsecutiveFailures = 0,
            },
            cancellationToken);

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
