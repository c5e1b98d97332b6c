using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using ThreatBriefBot.Delivery;
using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Scheduling;

/// <summary>
/// Puts every feed and subscription on the schedule at start-up, replacing what was stored, so a schedule
/// changed in appsettings takes effect on restart.
/// </summary>
internal sealed class ScheduleRegistrar(
    ISchedulerFactory schedulerFactory,
    FeedCatalog feeds,
    SubscriptionCatalog subscriptions,
    IOptions<PollingOptions> options,
    TimeProvider timeProvider,
    ILogger<ScheduleRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var feedList = await feeds.ListAsync(cancellationToken);
        foreach (var feed in feedList)
        {
            var (job, triggers) = JobPlans.ForFeed(feed, feeds.CronOf(feed), options.Value.PollOnStart, timeProvider);
            await scheduler.ScheduleJob(job, triggers, ScheduleJobOptions.Replacing, cancellationToken);
        }

        var subscriptionList = await subscriptions.ListAsync(cancellationToken);
        foreach (var subscription in subscriptionList)
        {
            var (job, triggers) = JobPlans.ForSubscription(subscription, timeProvider);
            await scheduler.ScheduleJob(job, triggers, ScheduleJobOptions.Replacing, cancellationToken);
        }

        Log.Scheduled(logger, feedList.Count, subscriptionList.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
