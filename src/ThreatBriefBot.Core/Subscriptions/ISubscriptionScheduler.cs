namespace ThreatBriefBot.Core.Subscriptions;

/// <summary>Puts a subscription made from chat on the schedule, or takes it off.</summary>
public interface ISubscriptionScheduler
{
    Task ScheduleAsync(Subscription subscription, CancellationToken cancellationToken);

    Task UnscheduleAsync(string subscriptionId, CancellationToken cancellationToken);
}
