using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Delivery;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Core.Subscriptions;
using ThreatBriefBot.Ingestion;
using ThreatBriefBot.Tests.TestUtils;

namespace ThreatBriefBot.Tests.Host;

public class DigestDispatcherTests
{
    private static readonly ChatTarget Channel = new(ChatPlatform.Console, "ops");
    private static readonly Subscription Cyber = new("cyber", Channel, ["cyberattacks"], [], "0 0 8 * * ?", "UTC", true);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryItemStore _items = new();
    private readonly InMemoryDigestLog _log = new();
    private readonly RecordingChannel _channel = new();
    private readonly InMemorySubscriptionStore _subscriptions = new();
    private readonly DigestDispatcher _dispatcher;

    public DigestDispatcherTests()
    {
        var adapters = new ChatAdapters([_channel]);
        var ops = new OpsChannel(Options.Create(new AlertsOptions { Platform = ChatPlatform.Console, Channel = "ops-alerts" }), adapters, NullLogger<OpsChannel>.Instance);
        _dispatcher = new DigestDispatcher(_items, _log, adapters, _subscriptions, ops, Options.Create(new DigestOptions()), _time, NullLogger<DigestDispatcher>.Instance);
    }

    /// <summary>Stores an item now, then lets a minute pass, as between a poll and a digest.</summary>
    private async Task StoreAsync(string title, DateTimeOffset? published = null)
    {
        await _items.AddAsync(new IncomingItem("Wire", title, title, null, "", published), new WordClassifier().Classify(title, ""), _time.GetUtcNow(), TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task SendAsync_TwoDigests_WindowsChainSoEachItemGoesOutOnce()
    {
        await StoreAsync("First hack");
        Assert.Equal(DigestOutcome.Sent, await _dispatcher.SendAsync(Cyber, _time.GetUtcNow(), TestContext.Current.CancellationToken));
        _time.Advance(TimeSpan.FromHours(1));
        await StoreAsync("Second hack");

        Assert.Equal(DigestOutcome.Sent, await _dispatcher.SendAsync(Cyber, _time.GetUtcNow(), TestContext.Current.CancellationToken));

        Assert.Equal(["First hack"], _channel.Titles(0));
        Assert.Equal(["Second hack"], _channel.Titles(1));
        Assert.Equal(_log.Records[0].WindowEnd, _log.Records[1].WindowStart);
    }

    [Fact]
    public async Task SendAsync_ChannelRefuses_NothingRecordedAndTheItemsGoOutNextTime()
    {
        await StoreAsync("Hack during outage");
        _channel.RefuseNext = true;

        await Assert.ThrowsAsync<HttpRequestException>(() => _dispatcher.SendAsync(Cyber, _time.GetUtcNow(), TestContext.Current.CancellationToken));
        Assert.Empty(_log.Records);

        _time.Advance(TimeSpan.FromHours(1));
        await _dispatcher.SendAsync(Cyber, _time.GetUtcNow(), TestContext.Current.CancellationToken);
        Assert.Equal(["Hack during outage"], _channel.Titles(0));
        Assert.Single(_log.Records);
    }

    [Fact]
    public async Task SendAsync_SameFireTimeTwice_SentOnce()
    {
        await StoreAsync("A hack");
        var fireTime = _time.GetUtcNow();

        await _dispatcher.SendAsync(Cyber, fireTime, TestContext.Current.CancellationToken);
        var again = await _dispatcher.SendAsync(Cyber, fireTime, TestContext.Current.CancellationToken);

        Assert.Equal(DigestOutcome.AlreadySent, again);
        Assert.Equal(1, _channel.Count);
    }

    [Fact]
    public async Task SendAsync_NothingNew_NothingPostedOrRecorded()
    {
        await StoreAsync("Tariff news only");

        var outcome = await _dispatcher.SendAsync(Cyber, _time.GetUtcNow(), TestContext.Current.CancellationToken);

        Assert.Equal(DigestOutcome.NothingNew, outcome);
        Assert.Equal(0, _channel.Count);
        Assert.Empty(_log.Records);
    }

    [Fact]
    public async Task SendAsync_FirstDigest_LooksBackTheConfiguredWindowOnly()
    {
        await StoreAsync("Old hack");
        _time.Advance(TimeSpan.FromDays(2));

        var outcome = await _dispatcher.SendAsync(Cyber, _time.GetUtcNow(), TestContext.Current.CancellationToken);

        Assert.Equal(DigestOutcome.NothingNew, outcome);
    }

    [Fact]
    public async Task SendAsync_NewFeedsBacklog_StoredButNotDelivered()
    {
        await StoreAsync("Hack from last month", published: _time.GetUtcNow().AddDays(-30));
        await StoreAsync("Hack this morning", published: _time.GetUtcNow().AddHours(-2));

        await _dispatcher.SendAsync(Cyber, _time.GetUtcNow(), TestContext.Current.CancellationToken);

        Assert.Equal(["Hack this morning"], _channel.Titles(0));
    }

    [Fact]
    public async Task SendAsync_ItemPublishedBeforeTheSubscription_NotDelivered()
    {
        var subscribed = _time.GetUtcNow();
        await StoreAsync("Hack published before subscribing", published: subscribed.AddHours(-1));
        await StoreAsync("Hack published after subscribing", published: subscribed.AddSeconds(30));

        await _dispatcher.SendAsync(Cyber with { CreatedAt = subscribed }, _time.GetUtcNow(), TestContext.Current.CancellationToken);

        Assert.Equal(["Hack published after subscribing"], _channel.Titles(0));
    }

    [Fact]
    public async Task SendAsync_ChannelGone_PausesTellsOpsAndKeepsItemsUntilResumed()
    {
        await StoreAsync("Hack while the channel is gone");
        _channel.Gone = true;

        var outcome = await _dispatcher.SendAsync(Cyber, _time.GetUtcNow(), TestContext.Current.CancellationToken);

        Assert.Equal(DigestOutcome.Paused, outcome);
        Assert.Contains("10003", _subscriptions.Pauses["cyber"].Reason, StringComparison.Ordinal);
        var alert = Assert.Single(_channel.Replies);
        Assert.Equal("ops-alerts", alert.Target.ChannelId);
        Assert.Contains("subscriptions resume cyber", alert.Reply.Text, StringComparison.Ordinal);

        // Paused: the channel is not even tried again.
        _channel.Gone = false;
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(DigestOutcome.Paused, await _dispatcher.SendAsync(Cyber, _time.GetUtcNow(), TestContext.Current.CancellationToken));
        Assert.Equal(0, _channel.Count);

        await _subscriptions.ResumeAsync("cyber", TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(DigestOutcome.Sent, await _dispatcher.SendAsync(Cyber, _time.GetUtcNow(), TestContext.Current.CancellationToken));
        Assert.Equal(["Hack while the channel is gone"], _channel.Titles(0));
    }

    private sealed class RecordingChannel : IChatAdapter
    {
        private readonly List<Digest> _digests = [];

        public bool RefuseNext { get; set; }

        public bool Gone { get; set; }

        public List<(ChatTarget Target, ChatReply Reply)> Replies { get; } = [];

        public int Count => _digests.Count;

        public ChatPlatform Platform => ChatPlatform.Console;

        public IReadOnlyList<string> Titles(int digest) => [.. _digests[digest].Sections.SelectMany(s => s.Items).Select(e => e.Item.Title)];

        public Task PostDigestAsync(ChatTarget target, Digest digest, CancellationToken cancellationToken)
        {
            if (RefuseNext)
            {
                RefuseNext = false;
                throw new HttpRequestException("503");
            }

            if (Gone)
            {
                throw new ChatDeliveryException(ChatDeliveryFailure.TargetUnavailable, "10003", "Unknown Channel");
            }

            _digests.Add(digest);
            return Task.CompletedTask;
        }

        public Task PostReplyAsync(ChatTarget target, ChatReply reply, CancellationToken cancellationToken)
        {
            Replies.Add((target, reply));
            return Task.CompletedTask;
        }
    }
}
