using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Core.Subscriptions;

namespace ThreatBriefBot.Tests.TestUtils;

/// <summary>A classifier that knows three topics by one word each, enough to test what uses a classifier.</summary>
internal sealed class WordClassifier : IItemClassifier
{
    public IReadOnlyList<string> TopicNames { get; } = ["cyberattacks", "climate", "trade"];

    public IReadOnlyList<TopicDefinition> Topics { get; } =
    [
        new("cyberattacks", "Attacks on computers", 0.5) { Aliases = ["cyber", "ransomware"] },
        new("climate", "Climate change", 0.5),
        new("trade", "Trade policy", 0.5) { Aliases = ["tariffs"] },
    ];

    public ItemClassification Classify(string title, string text)
    {
        var all = (title + " " + text).ToLowerInvariant();
        var words = new Dictionary<string, string> { ["cyberattacks"] = "hack", ["climate"] = "warming", ["trade"] = "tariff" };
        var scores = TopicNames.ToDictionary(t => t, t => all.Contains(words[t], StringComparison.Ordinal) ? 0.9 : 0.1, StringComparer.Ordinal);
        return new ItemClassification(
            [.. TopicNames.Where(t => scores[t] > 0.5).Select(t => new TopicMatch(t, scores[t], [words[t]]))],
            scores,
            all.Contains("tokyo", StringComparison.Ordinal) ? ["JP"] : []);
    }
}

/// <summary>Japan, China and the United States, in the forms people type.</summary>
internal sealed class SmallGazetteer : ICountryResolver
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["japan"] = "JP", ["jp"] = "JP", ["japanese"] = "JP", ["tokyo"] = "JP",
        ["china"] = "CN", ["cn"] = "CN", ["chinese"] = "CN",
        ["united states"] = "US", ["us"] = "US", ["usa"] = "US",
    };

    public IReadOnlyList<string> CountryNames { get; } = ["Japan", "China", "United States"];

    public string? ResolveCountry(string phrase) => Names.GetValueOrDefault(phrase.Trim());

    public IReadOnlyList<string>? ResolveRegion(string phrase) =>
        string.Equals(phrase.Trim(), "east asia", StringComparison.OrdinalIgnoreCase) ? ["JP", "CN"] : null;

    public string NameOf(string countryCode) => countryCode switch
    {
        "JP" => "Japan",
        "CN" => "China",
        "US" => "United States",
        _ => countryCode,
    };
}

/// <summary>The item store port over a list, with the same filter semantics the SQL stores implement.</summary>
internal sealed class InMemoryItemStore : IItemStore
{
    private readonly List<StoredItem> _items = [];
    private readonly HashSet<(string Feed, string Entry)> _entries = [];

    public IReadOnlyList<StoredItem> Items => _items;

    public Task<bool> ContainsEntryAsync(string feedName, string entryKey, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.Contains((feedName, entryKey)));

    public Task<ItemStoreOutcome> AddAsync(IncomingItem item, ItemClassification classification, DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        if (!_entries.Add((item.FeedName, item.EntryKey)))
        {
            return Task.FromResult(ItemStoreOutcome.AlreadySeen);
        }

        var id = ItemIdentity.StoryId(item.StoryKey);
        var index = _items.FindIndex(i => i.Id == id);
        if (index >= 0)
        {
            _items[index] = _items[index] with { Sources = [.. _items[index].Sources, item.FeedName] };
            return Task.FromResult(ItemStoreOutcome.MergedIntoStory);
        }

        _items.Add(new StoredItem(id, item.Title, item.Link, item.Summary, item.Published, seenAt, [item.FeedName], classification));
        return Task.FromResult(ItemStoreOutcome.Added);
    }

    public Task<IReadOnlyList<StoredItem>> FindAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredItem> found = [.. _items
            .Where(i => i.SeenAt >= query.SeenSince && (query.SeenBefore is null || i.SeenAt < query.SeenBefore))
            .Where(i => query.Topics is not { Count: > 0 } || query.Topics.Any(i.Classification.HasTopic))
            .Where(i => query.Countries is not { Count: > 0 } || query.Countries.Any(i.Classification.Countries.Contains))
            .Where(i => query.PublishedSince is null || (i.Published ?? i.SeenAt) >= query.PublishedSince)
            .Where(i => query.Text is null || (i.Title + " " + i.Summary).Contains(query.Text, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(i => i.Published ?? i.SeenAt)
            .Take(query.Limit)];
        return Task.FromResult(found);
    }
}

internal sealed class InMemorySubscriptionStore : ISubscriptionStore
{
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);

    public Task SaveAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        _subscriptions[subscription.Id] = subscription;
        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_subscriptions.Remove(id));

    public Task<IReadOnlyList<Subscription>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Subscription>>([.. _subscriptions.Values]);

    public Dictionary<string, SubscriptionPause> Pauses { get; } = new(StringComparer.Ordinal);

    public Task PauseAsync(string id, string reason, CancellationToken cancellationToken)
    {
        Pauses.TryAdd(id, new SubscriptionPause(id, DateTimeOffset.UnixEpoch, reason));
        return Task.CompletedTask;
    }

    public Task<bool> ResumeAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Pauses.Remove(id));

    public Task<SubscriptionPause?> GetPauseAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(Pauses.GetValueOrDefault(id));

    public Task<IReadOnlyList<SubscriptionPause>> ListPausesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SubscriptionPause>>([.. Pauses.Values]);
}

/// <summary>Records what would have been put on or taken off the schedule.</summary>
internal sealed class RecordingScheduler : ISubscriptionScheduler
{
    public List<string> Scheduled { get; } = [];

    public List<string> Unscheduled { get; } = [];

    public Task ScheduleAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        Scheduled.Add(subscription.Id);
        return Task.CompletedTask;
    }

    public Task UnscheduleAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        Unscheduled.Add(subscriptionId);
        return Task.CompletedTask;
    }
}
