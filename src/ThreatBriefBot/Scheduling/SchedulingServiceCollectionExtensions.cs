using Microsoft.Extensions.DependencyInjection;
using Quartz;
using ThreatBriefBot.Core.Subscriptions;

namespace ThreatBriefBot.Scheduling;

internal static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// The worker's Quartz scheduler, with every feed's poll and every subscription's digest on it; or, for a one-off
    /// verb, no scheduler, and subscriptions made then wait for the worker to schedule them.
    /// </summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, bool runSchedules)
    {
        if (!runSchedules)
        {
            services.AddSingleton<ISubscriptionScheduler, DeferredSubscriptionScheduler>();
            return services;
        }

        services.AddSingleton<ISubscriptionScheduler, QuartzSubscriptionScheduler>();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => o.InstanceName = "ThreatBriefBot");
            q.UseInMemoryStore();
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);

        // After the scheduler's own hosted service, so jobs are added to a started scheduler.
        services.AddHostedService<ScheduleRegistrar>();
        return services;
    }
}
