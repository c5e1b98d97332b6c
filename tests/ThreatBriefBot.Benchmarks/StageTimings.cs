using System.Diagnostics;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Core.Storage;

namespace ThreatBriefBot.Benchmarks;

/// <summary>One stage's calls and their summed duration across all concurrent polls (waits included).</summary>
internal sealed class StageTimer(string name)
{
    private long _calls;
    private long _ticks;

    public string Name => name;

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Summed elapsed time: with N polls at once this may exceed the wall time N-fold.</summary>
    public TimeSpan Total => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    public void Record(long startedAt)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - startedAt);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _ticks, 0);
    }
}

/// <summary>The stages of a poll that can be timed from outside the poller, through the services it is given.</summary>
internal sealed class StageTimings
{
    public StageTimer Http { get; } = new("http: request to response headers");
    public StageTimer PollStateRead { get; } = new("store: poll state read");
    public StageTimer PollStateSave { get; } = new("store: poll state save");
    public StageTimer Contains { get; } = new("store: entry seen? (ContainsEntry)");
    public StageTimer Add { get; } = new("store: add item (fingerprint, dedup, tx)");
    public StageTimer Classify { get; } = new("classify (topics, countries)");

    public IReadOnlyList<StageTimer> All => [Http, PollStateRead, PollStateSave, Contains, Add, Classify];

    public void Reset()
    {
        foreach (var timer in All)
        {
            timer.Reset();
        }
    }
}

/// <summary>Times the fetcher's requests up to the response headers (the body is read and parsed after).</summary>
internal sealed class TimedHttpHandler(StageTimings timings) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            timings.Http.Record(started);
        }
    }
}

internal sealed class TimedItemStore(IItemStore inner, StageTimings timings) : IItemStore
{
    public async Task<bool> ContainsEntryAsync(string feedName, string entryKey, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.ContainsEntryAsync(feedName, entryKey, cancellationToken);
        }
        finally
        {
            timings.Contains.Record(started);
        }
    }

    public async Task<ItemStoreOutcome> AddAsync(
        IncomingItem item, ItemClassification classification, DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.AddAsync(item, classification, seenAt, cancellationToken);
        }
        finally
        {
            timings.Add.Record(started);
        }
    }

    public Task<IReadOnlyList<StoredItem>> FindAsync(ItemQuery query, CancellationToken cancellationToken) =>
        inner.FindAsync(query, cancellationToken);
}

internal sealed class TimedFeedStore(IFeedStore inner, StageTimings timings) : IFeedStore
{
    public Task<bool> AddFeedAsync(FeedDefinition feed, CancellationToken cancellationToken) => inner.AddFeedAsync(feed, cancellationToken);

    public Task<bool> RemoveFeedAsync(string name, CancellationToken cancellationToken) => inner.RemoveFeedAsync(name, cancellationToken);

    public Task<IReadOnlyList<FeedDefinition>> ListFeedsAsync(CancellationToken cancellationToken) => inner.ListFeedsAsync(cancellationToken);

    public async Task<FeedPollState> GetPollStateAsync(string feedName, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await inner.GetPollStateAsync(feedName, cancellationToken);
        }
        finally
        {
            timings.PollStateRead.Record(started);
        }
    }

    public async Task SavePollStateAsync(FeedPollState state, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await inner.SavePollStateAsync(state, cancellationToken);
        }
        finally
        {
            timings.PollStateSave.Record(started);
        }
    }

    public Task<IReadOnlyList<FeedPollState>> ListPollStatesAsync(CancellationToken cancellationToken) =>
        inner.ListPollStatesAsync(cancellationToken);
}

internal sealed class TimedClassifier(IItemClassifier inner, StageTimings timings) : IItemClassifier
{
    public IReadOnlyList<string> TopicNames => inner.TopicNames;

    public IReadOnlyList<TopicDefinition> Topics => inner.Topics;

    public ItemClassification Classify(string title, string text)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return inner.Classify(title, text);
        }
        finally
        {
            timings.Classify.Record(started);
        }
    }
}
