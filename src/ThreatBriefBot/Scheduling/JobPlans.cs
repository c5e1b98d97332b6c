using Quartz;
using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Core.Subscriptions;

namespace ThreatBriefBot.Scheduling;

/// <summary>
/// The job and triggers for a feed or a subscription. One job per feed keeps polls of one feed apart
/// (<see cref="DisallowConcurrentExecutionAttribute"/> works per job key) while different feeds poll in parallel.
/// </summary>
internal static class JobPlans
{
    public const string FeedNameKey = "feed";
    public const string SubscriptionIdKey = "subscription";

    public static JobKey PollKey(string feedName) => new($"poll.{feedName}", "feeds");

    public static JobKey DigestKey(string subscriptionId) => new($"digest.{subscriptionId}", "digests");

    public static (IJobDetail Job, IReadOnlyCollection<ITrigger> Triggers) ForFeed(FeedDefinition feed, string cron, bool pollNow, TimeProvider timeProvider)
    {
        var key = PollKey(feed.Name);
        var job = JobBuilder.Create<PollFeedJob>()
            .WithIdentity(key)
            .WithDescription($"Poll {feed.Source}")
            .UsingJobData(FeedNameKey, feed.Name)
            .Build();
        var triggers = new List<ITrigger>
        {
            TriggerBuilder.Create(timeProvider)
                .WithIdentity($"{key.Name}.cron", key.Group)
                .ForJob(key)
                .WithSchedule(CronScheduleBuilder.Create(cron).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build(),
        };
        if (pollNow)
        {
            triggers.Add(TriggerBuilder.Create(timeProvider)
                .WithIdentity($"{key.Name}.start", key.Group)
                .ForJob(key)
                .StartNow()
                .Build());
        }

        return (job, triggers);
    }

    public static (IJobDetail Job, IReadOnlyCollection<ITrigger> Triggers) ForSubscription(Subscription subscription, TimeProvider timeProvider)
    {
        var key = DigestKey(subscription.Id);
        var job = JobBuilder.Create<SendDigestJob>()
            .WithIdentity(key)
            .WithDescription($"Digest for {subscription.Target}")
            .UsingJobData(SubscriptionIdKey, subscription.Id)
            .Build();
        var trigger = TriggerBuilder.Create(timeProvider)
            .WithIdentity($"{key.Name}.cron", key.Group)
            .ForJob(key)
            .WithSchedule(CronScheduleBuilder.Create(subscription.Cron)
                .InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(subscription.TimeZone))
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        return (job, [trigger]);
    }
}
