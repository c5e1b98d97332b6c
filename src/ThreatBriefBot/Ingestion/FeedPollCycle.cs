using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Feeds;

namespace ThreatBriefBot.Ingestion;

/// <summary>
/// Polls many feeds at once, at most <see cref="PollingOptions.MaxConcurrentPolls"/> at a time (the fetcher adds
/// per-host limits underneath), reporting each feed as it finishes.
/// </summary>
internal sealed class FeedPollCycle(FeedPoller poller, IOptions<PollingOptions> options)
{
    public async Task<IReadOnlyList<PollReport>> RunAsync(
        IReadOnlyList<FeedDefinition> feeds,
        bool force,
        Func<PollReport, CancellationToken, ValueTask>? onReport,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feeds);
        var reports = new PollReport[feeds.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentPolls, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, feeds.Count), parallel, async (index, ct) =>
        {
            reports[index] = await poller.PollAsync(feeds[index], force, ct);
            if (onReport is not null)
            {
                await onReport(reports[index], ct);
            }
        });
        return reports;
    }
}
