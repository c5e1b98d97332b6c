using Microsoft.Extensions.Logging;
using Quartz;
using ThreatBriefBot.Delivery;

namespace ThreatBriefBot.Scheduling;

/// <summary>Sends one subscription's digest. Thin: resolve, call, log.</summary>
[DisallowConcurrentExecution]
internal sealed class SendDigestJob(SubscriptionCatalog catalog, DigestDispatcher dispatcher, ILogger<SendDigestJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var id = context.MergedJobDataMap.GetString(JobPlans.SubscriptionIdKey)!;
        var subscription = await catalog.FindAsync(id, cancellationToken);
        if (subscription is null)
        {
            Log.SubscriptionGone(logger, id);
            await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
            return;
        }

        try
        {
            await dispatcher.SendAsync(subscription, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The items stay unsent and go out with the next digest.
            Log.DigestFailed(logger, e, id);
        }
    }
}
