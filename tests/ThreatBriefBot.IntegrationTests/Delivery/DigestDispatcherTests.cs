using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Core.Subscriptions;
using ThreatBriefBot.Delivery;
using ThreatBriefBot.Ingestion;
using ThreatBriefBot.IntegrationTests.Storage;
using ThreatBriefBot.Storage;

namespace ThreatBriefBot.IntegrationTests.Delivery;

/// <summary>The dispatcher over the real SQLite outbox and item store, posting to a channel that keeps every part.</summary>
public sealed class DigestDispatcherTests : IAsyncLifetime
{
    private static readonly ChatTarget Channel = new(ChatPlatform.Console, "ops");
    private static readonly Subscription Cyber = new("cyber", Channel, ["cyberattacks"], [], "0 0 8 * * ?", "UTC", true);
    private readonly RecordingChannel _channel = new();
    private TempStorage _storage = null!;
    private DigestDispatcher _dispatcher = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTimeOffset Now => _storage.Time.GetUtcNow();

    public async ValueTask InitializeAsync()
    {
        _storage = await TempStorage.CreateAsync(StorageOptions.SqliteProvider);
        _dispatcher = NewDispatcher();
    }

    public ValueTask DisposeAsync() => _storage.DisposeAsync();

    /// <summary>A dispatcher as a restarted worker has it: nothing in memory, everything from the store.</summary>
    private DigestDispatcher NewDispatcher(DigestOptions? options = null)
    {
        var adapters = new ChatAdapters([_channel]);
        var ops = new OpsChannel(Options.Create(new AlertsOptions { Platform = ChatPlatform.Console, Channel = "ops-alerts" }), adapters, NullLogger<OpsChannel>.Instance);
        return new DigestDispatcher(
            _storage.Get<IItemStore>(), _storage.Get<IDigestOutbox>(), adapters, _storage.Get<ISubscriptionStore>(), ops,
            Options.Create(options ?? new DigestOptions()), _storage.Time, NullLogger<DigestDispatcher>.Instance);
    }

    /// <summary>Stores a cyberattacks item seen now, then lets a minute pass, as between a poll and a digest.</summary>
    private async Task StoreAsync(string title, DateTimeOffset? published = null, DateTimeOffset? seenAt = null)
    {
        var classification = new ItemClassification(
            title.Contains("hack", StringComparison.OrdinalIgnoreCase) ? [new TopicMatch("cyberattacks", 0.9, ["hack"])] : [],
            new Dictionary<string, double> { ["cyberattacks"] = 0.9 },
            []);
        await _storage.Get<IItemStore>().AddAsync(
            new IncomingItem("Wire", title, title, $"https://example.org/{Uri.EscapeDataString(title)}", "", published), classification, seenAt ?? Now, Ct);
        _storage.Time.Advance(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task SendAsync_TwoDigests_EachItemGoesOutOnce()
    {
        await StoreAsync("First hack");
        Assert.Equal(DigestOutcome.Sent, await _dispatcher.SendAsync(Cyber, Now, Ct));
        _storage.Time.Advance(TimeSpan.FromHours(1));
        await StoreAsync("Second hack");

        Assert.Equal(DigestOutcome.Sent, await _dispatcher.SendAsync(Cyber, Now, Ct));

        Assert.Equal([["First hack"], ["Second hack"]], _channel.Digests());
    }

    [Fact]
    public async Task SendAsync_ItemCommittedAfterADigestWithAnEarlierSeenTime_GoesOutInTheNextDigest()
    {
        // A poll stamps seen_at, then a digest is decided, then the poll commits: no clock window may skip the item.
        var stampedBeforeTheDigest = Now;
        await StoreAsync("Early hack");
        Assert.Equal(DigestOutcome.Sent, await _dispatcher.SendAsync(Cyber, Now, Ct));
        await StoreAsync("Hack committed late", seenAt: stampedBeforeTheDigest);

        Assert.Equal(DigestOutcome.Sent, await _dispatcher.SendAsync(Cyber, Now, Ct));

        Assert.Equal([["Early hack"], ["Hack committed late"]], _channel.Digests());
    }

    [Fact]
    public async Task SendAsync_PlatformFailsAtAPart_ResumesAtThatPartWithoutRedecidingOrRepeatingAny()
    {
        _channel.ItemsPerPart = 1;
        await StoreAsync("Hack one");
        await StoreAsync("Hack two");
        await StoreAsync("Hack three");
        _channel.FailAtPost = 2;
        var fireTime = Now;

        await Assert.ThrowsAsync<HttpRequestException>(() => _dispatcher.SendAsync(Cyber, fireTime, Ct));
        await StoreAsync("Hack four");

        // As after a restart: a new dispatcher, the same store.
        var restarted = NewDispatcher();
        Assert.Equal(DigestOutcome.Sent, await restarted.ResumeAsync(Cyber, Ct));

        Assert.Equal(["Hack one", "Hack three", "Hack two"], _channel.Accepted.Select(p => p.Body).Order(StringComparer.Ordinal));
        Assert.Equal([0, 1, 2], _channel.Accepted.Select(p => p.Post.Index));
        Assert.Equal([false, true, false], _channel.Accepted.Select(p => p.Post.MayAlreadyBePosted));
        Assert.All(_channel.Accepted.Skip(1), p => Assert.Equal("receipt-1", p.Post.FirstPartReceipt));
        Assert.Equal(DigestOutcome.AlreadySent, await restarted.SendAsync(Cyber, fireTime, Ct));
        Assert.Equal(DigestOutcome.Sent, await restarted.SendAsync(Cyber, Now, Ct));
        Assert.Equal("Hack four", _channel.Accepted[^1].Body);
    }

    [Fact]
    public async Task SendAsync_UnfinishedDigest_FinishedBeforeTheNextIsDecided()
    {
        await StoreAsync("Hack one");
        _channel.FailAtPost = 1;
        await Assert.ThrowsAsync<HttpRequestException>(() => _dispatcher.SendAsync(Cyber, Now, Ct));
        _storage.Time.Advance(TimeSpan.FromHours(1));
        await StoreAsync("Hack two");

        Assert.Equal(DigestOutcome.Sent, await _dispatcher.SendAsync(Cyber, Now, Ct));

        Assert.Equal([["Hack one"], ["Hack two"]], _channel.Digests());
    }

    [Fact]
    public async Task SendAsync_SameFireTimeTwiceAtOnce_DecidedAndPostedOnce()
    {
        await StoreAsync("A hack");
        var fireTime = Now;

        var outcomes = await Task.WhenAll(
            Task.Run(() => _dispatcher.SendAsync(Cyber, fireTime, Ct), Ct),
            Task.Run(() => _dispatcher.SendAsync(Cyber, fireTime, Ct), Ct));

        Assert.Equal([DigestOutcome.Sent, DigestOutcome.AlreadySent], outcomes.Order());
        Assert.Single(_channel.Accepted);
    }

    [Fact]
    public async Task SendAsync_BacklogLargerThanOneDigest_OldestFirstAndTheRestInTheNextDigests()
    {
        var dispatcher = NewDispatcher(new DigestOptions { MaxItemsPerDigest = 3 });
        for (var i = 1; i <= 7; i++)
        {
            await StoreAsync($"Hack {i}");
        }

        for (var fire = 0; fire < 4; fire++)
        {
            await dispatcher.SendAsync(Cyber, Now.AddHours(fire), Ct);
        }

        Assert.Equal(
            [["Hack 1", "Hack 2", "Hack 3"], ["Hack 4", "Hack 5", "Hack 6"], ["Hack 7"]],
            _channel.Digests().Select(d => d.Order(StringComparer.Ordinal).ToArray()));
    }

    [Fact]
    public async Task SendAsync_NothingNew_NothingPostedOrDecided()
    {
        await StoreAsync("Tariff news only");

        Assert.Equal(DigestOutcome.NothingNew, await _dispatcher.SendAsync(Cyber, Now, Ct));

        Assert.Empty(_channel.Accepted);
        Assert.Equal(0, await _storage.CountAsync("outbox_digests"));
    }

    [Fact]
    public async Task SendAsync_FirstDigest_LooksBackTheConfiguredWindowOnly()
    {
        await StoreAsync("Old hack");
        _storage.Time.Advance(TimeSpan.FromDays(2));

        Assert.Equal(DigestOutcome.NothingNew, await _dispatcher.SendAsync(Cyber, Now, Ct));
        _storage.Time.Advance(TimeSpan.FromDays(1));

        // The start is fixed at the first digest: the window does not slide back each time.
        Assert.Equal(DigestOutcome.NothingNew, await _dispatcher.SendAsync(Cyber, Now, Ct));
    }

    [Fact]
    public async Task SendAsync_NewFeedsBacklog_StoredButNotDelivered()
    {
        await StoreAsync("Hack from last month", published: Now.AddDays(-30));
        await StoreAsync("Hack this morning", published: Now.AddHours(-2));

        await _dispatcher.SendAsync(Cyber, Now, Ct);

        Assert.Equal([["Hack this morning"]], _channel.Digests());
    }

    [Fact]
    public async Task SendAsync_ItemPublishedBeforeTheSubscription_NotDelivered()
    {
        var subscribed = Now;
        await StoreAsync("Hack published before subscribing", published: subscribed.AddHours(-1));
        await StoreAsync("Hack published after subscribing", published: subscribed.AddSeconds(30));

        await _dispatcher.SendAsync(Cyber with { CreatedAt = subscribed }, Now, Ct);

        Assert.Equal([["Hack published after subscribing"]], _channel.Digests());
    }

    [Fact]
    public async Task SendAsync_ChannelGone_PausesTellsOpsAndPostsTheSameDigestOnceResumed()
    {
        await StoreAsync("Hack while the channel is gone");
        _channel.Gone = true;

        Assert.Equal(DigestOutcome.Paused, await _dispatcher.SendAsync(Cyber, Now, Ct));

        var subscriptions = _storage.Get<ISubscriptionStore>();
        Assert.Contains("10003", (await subscriptions.GetPauseAsync("cyber", Ct))!.Reason, StringComparison.Ordinal);
        var alert = Assert.Single(_channel.Replies);
        Assert.Equal("ops-alerts", alert.Target.ChannelId);
        Assert.Contains("subscriptions resume cyber", alert.Reply.Text, StringComparison.Ordinal);

        // Paused: the channel is not even tried again.
        _channel.Gone = false;
        _storage.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(DigestOutcome.Paused, await _dispatcher.SendAsync(Cyber, Now, Ct));
        Assert.Equal(DigestOutcome.Paused, await _dispatcher.ResumeAsync(Cyber, Ct));
        Assert.Empty(_channel.Accepted);

        await subscriptions.ResumeAsync("cyber", Ct);
        Assert.Equal(DigestOutcome.Sent, await _dispatcher.ResumeAsync(Cyber, Ct));
        Assert.Equal([["Hack while the channel is gone"]], _channel.Digests());
    }

    /// <summary>
    /// Renders a digest as one part per <see cref="ItemsPerPart"/> item titles, one per line, and keeps every part
    /// posted. It can fail the Nth post as a platform outage would, or refuse every post as a deleted channel does.
    /// </summary>
    private sealed class RecordingChannel : IChatAdapter
    {
        private int _posts;

        public int ItemsPerPart { get; set; } = 100;

        /// <summary>The post (1-based, counted over the channel's life) that fails with an outage.</summary>
        public int FailAtPost { get; set; }

        public bool Gone { get; set; }

        public List<(DigestPartPost Post, string Body)> Accepted { get; } = [];

        public List<(ChatTarget Target, ChatReply Reply)> Replies { get; } = [];

        public ChatPlatform Platform => ChatPlatform.Console;

        /// <summary>The titles of each digest, its parts joined.</summary>
        public string[][] Digests() =>
            [.. Accepted.GroupBy(p => p.Post.DigestKey).Select(d => d.SelectMany(p => p.Body.Split('\n')).ToArray())];

        public IReadOnlyList<string> RenderDigest(ChatTarget target, Digest digest, string digestKey) =>
            [.. digest.Sections.SelectMany(s => s.Items).Select(e => e.Item.Title).Chunk(ItemsPerPart).Select(titles => string.Join('\n', titles))];

        public Task<string?> PostDigestPartAsync(ChatTarget target, DigestPartPost part, CancellationToken cancellationToken)
        {
            if (Gone)
            {
                throw new ChatDeliveryException(ChatDeliveryFailure.TargetUnavailable, "10003", "Unknown Channel");
            }

            if (Interlocked.Increment(ref _posts) == FailAtPost)
            {
                throw new HttpRequestException("503 Service Unavailable");
            }

            lock (Accepted)
            {
                Accepted.Add((part, part.Body));
                return Task.FromResult<string?>($"receipt-{Accepted.Count}");
            }
        }

        public Task PostReplyAsync(ChatTarget target, ChatReply reply, CancellationToken cancellationToken)
        {
            Replies.Add((target, reply));
            return Task.CompletedTask;
        }
    }
}
