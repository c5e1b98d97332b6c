using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatBriefBot.Chat.Discord.Fakes;
using ThreatBriefBot.Chat.Slack.Fakes;

namespace ThreatBriefBot.DeliveryTests.Harness;

internal enum Platform
{
    Discord,
    Slack,
}

/// <summary>A feed the rig serves: its topics (one item per topic per growth tick), and whether its items are long.</summary>
internal sealed record FeedPlan(string Slug, string Name, IReadOnlyList<string> Topics, bool Lengthy, string Cron);

/// <summary>A subscription the worker is configured with; the rig gives it a channel of its own on the platform's fake.</summary>
/// <param name="Large">Its digests are expected to need several messages (kills between parts watch these channels).</param>
internal sealed record SubscriptionPlan(string Name, Platform Platform, IReadOnlyList<string> Topics, string Cron, bool Large = false);

/// <summary>A subscription with its channel, and how to read that channel back.</summary>
internal sealed record SubscribedChannel(SubscriptionPlan Plan, Transcript Transcript)
{
    public string Channel => Transcript.Channel;
}

/// <summary>How the drain ended: every item delivered, nothing more arriving, or out of patience.</summary>
internal enum DrainEnd
{
    AllDelivered,
    Quiet,
    OutOfPatience,
    WorkerExited,
}

/// <summary>
/// Everything a delivery test runs against: the fakes of Discord and Slack (in this process), a loopback feed server
/// with growing feeds, and a sandbox (configuration file and data directory) for worker processes. Workers get the
/// tokens from their environment only, as the README asks of operators.
/// </summary>
internal sealed class DeliveryRig : IAsyncDisposable
{
    private readonly CliSandbox _sandbox = new(json => json["Digests"]!["Subscriptions"] = new JsonArray());
    private readonly List<GrowingFeed> _feeds = [];
    private readonly List<SubscribedChannel> _subscriptions = [];
    private FeedGrowth? _growth;

    private DeliveryRig(FakeDiscordServer discord, FakeSlackServer slack, FakeFeedServer feedServer)
    {
        DiscordServer = discord;
        SlackServer = slack;
        FeedServer = feedServer;
    }

    /// <summary>Names this run's item links, so nothing from another run can be counted.</summary>
    public string Run { get; } = Guid.NewGuid().ToString("N")[..8];

    public FakeDiscordServer DiscordServer { get; }

    public FakeSlackServer SlackServer { get; }

    public FakeFeedServer FeedServer { get; }

    public IReadOnlyList<GrowingFeed> GrowingFeeds => _feeds;

    public IReadOnlyList<SubscribedChannel> Channels => _subscriptions;

    public string DataDirectory => _sandbox.DataDirectory;

    public string ConfigFile => _sandbox.ConfigFile;

    /// <summary>What a worker process gets in its environment: the three tokens, and nothing else of ThreatBriefBot's.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Discord__BotToken"] = FakeDiscordServer.BotToken,
        ["Slack__BotToken"] = FakeSlackServer.BotToken,
        ["Slack__AppToken"] = FakeSlackServer.AppToken,
    };

    public static async Task<DeliveryRig> StartAsync(IReadOnlyList<FeedPlan> feeds, IReadOnlyList<SubscriptionPlan> subscriptions, int seed)
    {
        var token = TestContext.Current.CancellationToken;
        var rig = new DeliveryRig(
            // A one-second heartbeat: a worker starting on a busy two-core machine can be late with a shorter one.
            await FakeDiscordServer.StartAsync(new FakeDiscordOptions { HeartbeatInterval = TimeSpan.FromSeconds(1) }, token),
            await FakeSlackServer.StartAsync(new FakeSlackOptions { PostMessageInterval = TimeSpan.FromMilliseconds(50), RetryAfterSeconds = 0, PingInterval = TimeSpan.FromSeconds(1) }, token),
            await FakeFeedServer.StartAsync());
        foreach (var (feed, i) in feeds.Select((f, i) => (f, i)))
        {
            // The window is wide: an item stays in the document for half a minute or more, far longer than a worker is down.
            rig._feeds.Add(new GrowingFeed(rig.FeedServer, rig.Run, feed.Slug, feed.Name, feed.Topics, feed.Lengthy, window: 150, seed: seed + i));
        }

        foreach (var plan in subscriptions)
        {
            Transcript transcript = plan.Platform == Platform.Discord
                ? new DiscordTranscript(rig.DiscordServer, rig.DiscordServer.AddChannel())
                : new SlackTranscript(rig.SlackServer, rig.SlackServer.AddChannel());
            rig._subscriptions.Add(new SubscribedChannel(plan, transcript));
        }

        rig._sandbox.Configure(json => rig.Configure(json, feeds));
        return rig;
    }

    /// <summary>Starts a worker process on the rig's configuration and data directory.</summary>
    public WorkerProcess StartWorker() => WorkerProcess.Start(ConfigFile, DataDirectory, Environment);

    /// <summary>
    /// Once <paramref name="worker"/> has polled every feed, every feed gains one item per topic every
    /// <paramref name="every"/> until <see cref="StopGrowingAsync"/>. Items come only from then on: whatever a
    /// subscription's first digest may leave out as backlog, nothing published after the worker first ran is backlog.
    /// </summary>
    /// <returns>False when the worker polled nothing within 45 s or ended (the feeds grow anyway).</returns>
    public async Task<bool> StartGrowingAfterFirstPollAsync(WorkerProcess worker, TimeSpan every)
    {
        var polled = await Eventually.TrueAsync(() => worker.HasExited || _feeds.All(f => f.Answers > 0), TimeSpan.FromSeconds(45)) && !worker.HasExited;
        _growth = new FeedGrowth(_feeds, every);
        _growth.Start();
        return polled;
    }

    public async Task StopGrowingAsync()
    {
        if (_growth is not null)
        {
            await _growth.DisposeAsync();
        }

        foreach (var feed in _feeds)
        {
            feed.Stop();
        }
    }

    /// <summary>Messages accepted in every subscribed channel together.</summary>
    public int TotalMessages() => _subscriptions.Sum(s => s.Transcript.Count);

    /// <summary>The links of every served item the subscription asks for: what its channel must show exactly once.</summary>
    public IReadOnlyList<string> ExpectedLinks(SubscriptionPlan plan) =>
        [.. _feeds.SelectMany(f => f.Served()).Where(i => plan.Topics.Contains(i.Topic, StringComparer.Ordinal)).Select(i => i.Link)];

    public IReadOnlyList<ChannelVerdict> Verdicts() =>
        [.. _subscriptions.Select(s => ChannelVerdict.Of(s.Plan.Name, ExpectedLinks(s.Plan), s.Transcript))];

    /// <summary>
    /// With the feeds no longer growing, lets <paramref name="worker"/> run until every served item has reached its
    /// channels; or until nothing has arrived for <paramref name="quiet"/> after the worker was sent every feed's last
    /// version (what has not arrived by then is not coming); or <paramref name="patience"/> is spent.
    /// </summary>
    public async Task<DrainEnd> DrainAsync(WorkerProcess worker, TimeSpan quiet, TimeSpan patience)
    {
        var answersBefore = _feeds.ToDictionary(f => f, f => f.Answers);
        var clock = Stopwatch.StartNew();
        var messages = TotalMessages();
        var lastChange = clock.Elapsed;
        while (clock.Elapsed < patience)
        {
            if (worker.HasExited)
            {
                return DrainEnd.WorkerExited;
            }

            var current = TotalMessages();
            if (current != messages)
            {
                messages = current;
                lastChange = clock.Elapsed;
            }

            if (_feeds.All(f => f.AnswersWithNewestVersion(answersBefore[f]) > 0))
            {
                if (_subscriptions.All(s => AllDelivered(s)))
                {
                    return DrainEnd.AllDelivered;
                }

                if (clock.Elapsed - lastChange >= quiet)
                {
                    return DrainEnd.Quiet;
                }
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        return DrainEnd.OutOfPatience;
    }

    /// <summary>The figures of every channel and fake, one line each, for the test output.</summary>
    public IEnumerable<string> Figures(IReadOnlyList<ChannelVerdict> verdicts) =>
    [
        .. verdicts.Select(v => v.Figures()),
        $"feeds: {string.Join(", ", _feeds.Select(f => $"{f.Slug} {f.Count} items ({f.Served().Count} served, {f.Answers} answers)"))}",
        $"fakes: Discord {DiscordServer.Requests.Count} requests, {DiscordServer.RateLimitedResponses} 429s, {DiscordServer.SchemaViolations.Count} violations; Slack {SlackServer.Requests.Count} requests, {SlackServer.RateLimitedResponses} 429s, {SlackServer.SchemaViolations.Count} violations",
        $"re-sends of a message whose outcome was unknown: Discord {DiscordResends()} answered with the message its nonce had posted; Slack {SlackLookups()} lookups (conversations.history/replies)",
    ];

    /// <summary>Message posts Discord accepted beyond one per nonce: each returned the message posted before.</summary>
    private int DiscordResends()
    {
        var posts = DiscordServer.Requests
            .Where(r => r is { Method: "POST", Status: 200, Body: not null } && r.Path.EndsWith("/messages", StringComparison.Ordinal))
            .Select(r => JsonDocument.Parse(r.Body!).RootElement.TryGetProperty("nonce", out var nonce) ? nonce.GetString() : null)
            .ToList();
        return posts.Count - posts.Distinct(StringComparer.Ordinal).Count();
    }

    private int SlackLookups() =>
        SlackServer.Requests.Count(r => r.Path.EndsWith("conversations.history", StringComparison.Ordinal) || r.Path.EndsWith("conversations.replies", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await StopGrowingAsync();
        await DiscordServer.DisposeAsync();
        await SlackServer.DisposeAsync();
        await FeedServer.DisposeAsync();
        _sandbox.Dispose();
    }

    private bool AllDelivered(SubscribedChannel subscription)
    {
        var delivered = subscription.Transcript.Read().SelectMany(m => m.Links).ToHashSet(StringComparer.Ordinal);
        return ExpectedLinks(subscription.Plan).All(delivered.Contains);
    }

    /// <summary>The sandbox's configuration: the shipped file with the rig's feeds, subscriptions and fakes.</summary>
    private void Configure(JsonObject json, IReadOnlyList<FeedPlan> feeds)
    {
        json["Logging"]!["LogLevel"]!["Default"] = "Warning";
        var feedItems = new JsonArray();
        foreach (var (plan, feed) in feeds.Zip(_feeds))
        {
            feedItems.Add(new JsonObject { ["Name"] = plan.Name, ["Source"] = feed.Url.ToString(), ["Cron"] = plan.Cron });
        }

        json["Feeds"]!["Items"] = feedItems;
        json["Feeds"]!["PerHostMinInterval"] = "00:00:00";
        json["Feeds"]!["RequestTimeout"] = "00:00:05";
        json["Polling"]!["FailureBackoff"] = "00:00:01";
        json["Polling"]!["MaxFailureBackoff"] = "00:00:02";

        // The items are made up to differ, but this test is about delivery: no story may be joined to another by its text.
        json["Deduplication"] = new JsonObject { ["Enabled"] = false };
        var subscriptions = new JsonArray();
        foreach (var subscription in _subscriptions)
        {
            subscriptions.Add(new JsonObject
            {
                ["Name"] = subscription.Plan.Name,
                ["Platform"] = subscription.Plan.Platform.ToString(),
                ["Channel"] = subscription.Channel,
                ["Topics"] = new JsonArray([.. subscription.Plan.Topics.Select(t => (JsonNode)JsonValue.Create(t))]),
                ["Cron"] = subscription.Plan.Cron,
                ["TimeZone"] = "UTC",
                ["MaxItemAge"] = "3650.00:00:00",
            });
        }

        json["Digests"]!["Subscriptions"] = subscriptions;

        // The most a digest may show per topic today (items past it are only counted, "… and K more"): the test asks
        // for every item anyway, and with room for them today's digests need several messages, as large ones will.
        json["Digests"]!["MaxItemsPerTopic"] = 25;
        json["Discord"] = new JsonObject
        {
            ["Enabled"] = true,
            ["ApplicationId"] = FakeDiscordServer.ApplicationId,
            ["ApiBaseUrl"] = DiscordServer.ApiBaseUrl.ToString(),
            ["GatewayUrl"] = DiscordServer.GatewayUrl.ToString(),
            ["ReconnectDelay"] = "00:00:00.100",
        };
        json["Slack"] = new JsonObject
        {
            ["Enabled"] = true,
            ["Mode"] = "SocketMode",
            ["ApiBaseUrl"] = SlackServer.ApiBaseUrl.ToString(),
            ["AdminUserIds"] = new JsonArray("U0ADMIN001"),
            ["MinPostInterval"] = "00:00:00.050",
            ["RetryDelay"] = "00:00:00.050",
            ["ReconnectDelay"] = "00:00:00.050",
            ["MaxReconnectDelay"] = "00:00:00.400",
            ["KeepAliveInterval"] = "00:00:00.500",
            ["KeepAliveTimeout"] = "00:00:05",
        };
    }
}
