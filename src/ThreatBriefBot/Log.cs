using Microsoft.Extensions.Logging;

namespace ThreatBriefBot;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Polled feed {Feed}: {Added} new, {Merged} merged into stories from other feeds, {Seen} already seen")]
    public static partial void FeedPolled(ILogger logger, string feed, int added, int merged, int seen);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Feed {Feed} not modified since the last poll")]
    public static partial void FeedNotModified(ILogger logger, string feed);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Feed {Feed} could not be read ({Failures} failures in a row): {Reason}")]
    public static partial void FeedFailed(ILogger logger, string feed, int failures, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Digest for {Subscription} sent to {Target}: {Items} items")]
    public static partial void DigestSent(ILogger logger, string subscription, ThreatBriefBot.Core.Chat.ChatTarget target, int items);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Digest for {Subscription}: nothing new since {Since:u}")]
    public static partial void DigestEmpty(ILogger logger, string subscription, DateTimeOffset since);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Digest for {Subscription} at {FireTime:u} was decided already")]
    public static partial void DigestAlreadySent(ILogger logger, string subscription, DateTimeOffset fireTime);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Digest for {Subscription} could not be posted yet; the outbox retries it from the part that failed")]
    public static partial void DigestFailed(ILogger logger, Exception exception, string subscription);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Scheduled {Feeds} feed polls and {Subscriptions} digests")]
    public static partial void Scheduled(ILogger logger, int feeds, int subscriptions);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "Subscription {Subscription} no longer exists; its digest job is removed")]
    public static partial void SubscriptionGone(ILogger logger, string subscription);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Feed {Feed} no longer exists; its poll job is removed")]
    public static partial void FeedGone(ILogger logger, string feed);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Polling feed {Feed} failed unexpectedly")]
    public static partial void PollCrashed(ILogger logger, Exception exception, string feed);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Feed {Feed} has failed {Failures} times in a row ({Reason}); next try at {NextPollAt:u}")]
    public static partial void FeedUnhealthy(ILogger logger, string feed, int failures, string reason, DateTimeOffset? nextPollAt);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Feed {Feed} is readable again after {Failures} failures")]
    public static partial void FeedRecovered(ILogger logger, string feed, int failures);

    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "An alert could not be posted to the ops channel")]
    public static partial void AlertNotSent(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 16, Level = LogLevel.Debug, Message = "Feed {Feed} is not due before {NextPollAt:u}")]
    public static partial void FeedNotDue(ILogger logger, string feed, DateTimeOffset nextPollAt);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "Feed {Feed} moved permanently to {Location}; polling it there from now on (update its configured address)")]
    public static partial void FeedMoved(ILogger logger, string feed, string location);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Subscription {Subscription} will be scheduled when the worker next starts")]
    public static partial void SubscriptionDeferred(ILogger logger, string subscription);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "Subscription {Subscription} is paused, no digest: {Reason}")]
    public static partial void DigestPaused(ILogger logger, string subscription, string reason);

    [LoggerMessage(EventId = 19, Level = LogLevel.Error, Message = "Subscription {Subscription} paused: {Target} refused its digest for good")]
    public static partial void SubscriptionPaused(ILogger logger, Exception exception, string subscription, Core.Chat.ChatTarget target);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Digest for {Subscription} at {FireTime:u} decided: {Items} items in {Parts} messages")]
    public static partial void DigestDecided(ILogger logger, string subscription, DateTimeOffset fireTime, int items, int parts);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Digest for {Subscription} at {FireTime:u} resumes at message {Part} of {Parts}")]
    public static partial void DigestResumed(ILogger logger, string subscription, DateTimeOffset fireTime, int part, int parts);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Digest for {Subscription} at {FireTime:u} was decided by another deliverer meanwhile; left to it")]
    public static partial void DigestDecidedElsewhere(ILogger logger, string subscription, DateTimeOffset fireTime);

    [LoggerMessage(EventId = 23, Level = LogLevel.Debug, Message = "Unfinished digests of {Subscription} are left: the subscription no longer exists")]
    public static partial void UnfinishedOfRemovedSubscription(ILogger logger, string subscription);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "Could not read the outbox for unfinished digests; trying again at the next round")]
    public static partial void UnfinishedNotListed(ILogger logger, Exception exception);
}
