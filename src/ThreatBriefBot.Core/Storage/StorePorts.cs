using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Core.Subscriptions;

namespace ThreatBriefBot.Core.Storage;

/// <summary>What happened to an incoming item.</summary>
public enum ItemStoreOutcome
{
    /// <summary>A new story was stored.</summary>
    Added,

    /// <summary>Another feed had already brought the same story; this feed was added to its sources.</summary>
    MergedIntoStory,

    /// <summary>This feed had already delivered this entry; nothing changed.</summary>
    AlreadySeen,
}

/// <summary>Which stored items to return. Empty filters match everything; filters combine with AND.</summary>
/// <param name="SeenSince">Only items first stored at or after this instant.</param>
/// <param name="SeenBefore">Only items first stored before this instant, when set.</param>
/// <param name="Topics">Items with any of these topics.</param>
/// <param name="Countries">Items about any of these countries.</param>
/// <param name="Text">Items whose title or summary contains this text (case-insensitive).</param>
/// <param name="PublishedSince">Only items published (else first stored) at or after this instant: keeps a new feed's backlog out of digests.</param>
public sealed record ItemQuery(
    DateTimeOffset SeenSince,
    DateTimeOffset? SeenBefore = null,
    IReadOnlyCollection<string>? Topics = null,
    IReadOnlyCollection<string>? Countries = null,
    string? Text = null,
    int Limit = 1000,
    DateTimeOffset? PublishedSince = null);

/// <summary>Stories, their sources and their classification.</summary>
public interface IItemStore
{
    /// <summary>Checks whether this feed already delivered this entry, without storing anything.</summary>
    Task<bool> ContainsEntryAsync(string feedName, string entryKey, CancellationToken cancellationToken);

    /// <summary>Stores the item atomically: the story, its source, its topics and countries, or nothing.</summary>
    Task<ItemStoreOutcome> AddAsync(IncomingItem item, ItemClassification classification, DateTimeOffset seenAt, CancellationToken cancellationToken);

    /// <summary>Items matching the query, newest first.</summary>
    Task<IReadOnlyList<StoredItem>> FindAsync(ItemQuery query, CancellationToken cancellationToken);
}

/// <summary>Feeds added at run time (beside the configured ones) and every feed's poll state.</summary>
public interface IFeedStore
{
    /// <summary>Adds a feed; false when one of that name exists already.</summary>
    Task<bool> AddFeedAsync(FeedDefinition feed, CancellationToken cancellationToken);

    /// <summary>Removes a feed added at run time; false when there is none of that name.</summary>
    Task<bool> RemoveFeedAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<FeedDefinition>> ListFeedsAsync(CancellationToken cancellationToken);

    Task<FeedPollState> GetPollStateAsync(string feedName, CancellationToken cancellationToken);

    Task SavePollStateAsync(FeedPollState state, CancellationToken cancellationToken);

    Task<IReadOnlyList<FeedPollState>> ListPollStatesAsync(CancellationToken cancellationToken);
}

/// <summary>Subscriptions made from chat; those from configuration are not stored here.</summary>
public interface ISubscriptionStore
{
    /// <summary>Adds or replaces the subscription with that id.</summary>
    Task SaveAsync(Subscription subscription, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<Subscription>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Stops digests to a subscription (configured or made from chat) until it is resumed.</summary>
    Task PauseAsync(string id, string reason, CancellationToken cancellationToken);

    /// <summary>Lifts a pause; false when the subscription was not paused.</summary>
    Task<bool> ResumeAsync(string id, CancellationToken cancellationToken);

    /// <summary>The pause on a subscription, or null when it is active.</summary>
    Task<SubscriptionPause?> GetPauseAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every paused subscription.</summary>
    Task<IReadOnlyList<SubscriptionPause>> ListPausesAsync(CancellationToken cancellationToken);
}

/// <summary>Why and since when a subscription gets no digests.</summary>
public sealed record SubscriptionPause(string SubscriptionId, DateTimeOffset PausedAt, string Reason);

/// <summary>A digest that a channel accepted.</summary>
/// <param name="FireTime">The scheduled time it was for: unique per subscription, so a digest goes out once.</param>
public sealed record DigestRecord(
    string SubscriptionId,
    DateTimeOffset FireTime,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    DateTimeOffset SentAt,
    IReadOnlyList<string> ItemIds);

/// <summary>The record of every digest sent.</summary>
public interface IDigestLog
{
    /// <summary>The newest digest sent for the subscription, or null.</summary>
    Task<DigestRecord?> GetLastAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>Records a sent digest; false when one for that subscription and fire time exists already.</summary>
    Task<bool> TryRecordAsync(DigestRecord record, CancellationToken cancellationToken);
}
