using Microsoft.Extensions.Logging;
using Quartz;
using ThreatBriefBot.Core.Subscriptions;

namespace ThreatBriefBot.Scheduling;

/// <summary>In the worker: a subscription made from chat is on the schedule at once.</summary>
internal sealed class QuartzSubscriptionScheduler(ISchedulerFactory schedulerFactory, TimeProvider timeProvider) : ISubscriptionScheduler
{
    public async Task ScheduleAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var (job, triggers) = JobPlans.ForSubscription(subscription, timeProvider);
        await scheduler.ScheduleJob(job, triggers, ScheduleJobOptions.Replacing, cancellationToken);
    }

    public async Task UnscheduleAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(JobPlans.DigestKey(subscriptionId), cancellationToken);
    }
}

/// <summary>
/// In a one-off CLI run no scheduler runs: the subscription is stored, and the worker schedules every stored
/// subscription when it starts.
/// </summary>
internal sealed class DeferredSubscriptionScheduler(ILogger<DeferredSubscriptionScheduler> logger) : ISubscriptionScheduler
{
    public Task ScheduleAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        Log.SubscriptionDeferred(logger, subscription.Id);
        return Task.CompletedTask;
    }

    public Task UnscheduleAsync(string subscriptionId, CancellationToken cancellationToken) => Task.CompletedTask;
}
