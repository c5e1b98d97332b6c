using ThreatBriefBot.Core.Chat;
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
/// <param name="Text">
/// Items whose title or summary has every word of this text as a word or the start of a word, ignoring case and
/// diacritics: <c>ransom zurich</c> finds "Ransomware gang hits Zürich". A word is a run of letters and digits; the rest
/// (punctuation, quotes, operators) only separates words. Null or blank: no text filter; only punctuation: no item.
/// </param>
/// <param name="PublishedSince">Only items published (else first stored) at or after this instant: keeps a new feed's backlog out of digests.</param>
/// <param name="UndeliveredTo">Only items no digest of this subscription has claimed (see <see cref="IDigestOutbox"/>).</param>
/// <param name="OldestFirst">Order by when the items were stored, oldest first, so what a limit leaves out is the newest.</param>
public sealed record ItemQuery(
    DateTimeOffset SeenSince,
    DateTimeOffset? SeenBefore = null,
    IReadOnlyCollection<string>? Topics = null,
    IReadOnlyCollection<string>? Countries = null,
    string? Text = null,
    int Limit = 1000,
    DateTimeOffset? PublishedSince = null,
    string? UndeliveredTo = null,
    bool OldestFirst = false);

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

/// <summary>A digest decided for one fire time of a subscription: its items and its rendered parts, stored before any is posted.</summary>
/// <param name="Key">From <see cref="Digests.DigestKeys.For"/>: unique per subscription and fire time.</param>
/// <param name="Target">Where it goes; kept with the digest, so it is posted where it was rendered for even if the subscription changes.</param>
/// <param name="ItemIds">The items it delivers: each is claimed for the subscription by this digest and by no other.</param>
public sealed record DecidedDigest(
    string Key,
    string SubscriptionId,
    DateTimeOffset FireTime,
    ChatTarget Target,
    DateTimeOffset DecidedAt,
    IReadOnlyList<string> ItemIds,
    IReadOnlyList<DigestPart> Parts)
{
    /// <summary>The first part not yet accepted by the platform, or null when the digest is delivered.</summary>
    public DigestPart? NextPart => Parts.FirstOrDefault(p => !p.Accepted);
}

/// <summary>One message of a decided digest and what became of it.</summary>
/// <param name="Attempts">Posts started; more than zero while not accepted means the last outcome is unknown.</param>
/// <param name="Receipt">The platform's id for the accepted message (a Discord message id, a Slack ts), when it gives one.</param>
public sealed record DigestPart(int Index, string Body, int Attempts = 0, string? Receipt = null, DateTimeOffset? AcceptedAt = null)
{
    public bool Accepted => AcceptedAt is not null;
}

/// <summary>
/// The durable outbox of scheduled digests. Deciding a digest (its items, its parts) is one transaction; posting is
/// a separate step that records each part as it starts and as it is accepted, so a restart resumes at the first
/// part not accepted and never decides the same fire time twice or gives an item to a subscription twice.
/// </summary>
public interface IDigestOutbox
{
    /// <summary>
    /// The instant from which stored items are news to the subscription: set to <paramref name="proposed"/> the first
    /// time it is asked for, then fixed, so a subscription's first digests do not reach further back each time.
    /// </summary>
    Task<DateTimeOffset> GetDeliveryStartAsync(string subscriptionId, DateTimeOffset proposed, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the digest, its parts and its claim on each of its items in one transaction. False, with nothing
    /// stored, when its fire time was decided already or another digest claimed one of its items meanwhile.
    /// </summary>
    Task<bool> TryDecideAsync(DecidedDigest digest, CancellationToken cancellationToken);

    /// <summary>Whether a digest for this subscription and fire time was decided.</summary>
    Task<bool> IsDecidedAsync(string subscriptionId, DateTimeOffset fireTime, CancellationToken cancellationToken);

    /// <summary>The subscription's digests with a part not yet accepted, the oldest fire time first.</summary>
    Task<IReadOnlyList<DecidedDigest>> ListUnfinishedAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>The ids of subscriptions with an unfinished digest, less the paused ones: those wait for a person.</summary>
    Task<IReadOnlyList<string>> ListSubscriptionsWithUnfinishedAsync(CancellationToken cancellationToken);

    /// <summary>Records, durably and before the post, that a post of the part starts: a crash after this leaves its outcome unknown.</summary>
    Task RecordAttemptAsync(string digestKey, int index, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records that the platform accepted the part.</summary>
    Task RecordAcceptedAsync(string digestKey, int index, string? receipt, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The subscription's newest decided digests, newest first.</summary>
    Task<IReadOnlyList<DecidedDigest>> ListRecentAsync(string subscriptionId, int limit, CancellationToken cancellationToken);
}
