using Microsoft.Extensions.Logging;
using Quartz;
using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Scheduling;

/// <summary>Polls one feed. Thin: resolve, call, log.</summary>
[DisallowConcurrentExecution]
internal sealed class PollFeedJob(FeedCatalog catalog, FeedPoller poller, ILogger<PollFeedJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var name = context.MergedJobDataMap.GetString(JobPlans.FeedNameKey)!;
        var feed = await catalog.FindAsync(name, cancellationToken);
        if (feed is null)
        {
            Log.FeedGone(logger, name);
            await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
            return;
        }

        await poller.PollAsync(feed, force: false, cancellationToken);
    }
}
