using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Hosting;

namespace ThreatBriefBot.IntegrationTests.Host;

/// <summary>The verbs of the CLI contract, run in-process against the shipped configuration and demo feeds.</summary>
public sealed class CliVerbTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task PollThenBriefJapan_ReferenceStory_UnderCyberattacksTaggedJpCnUs()
    {
        var poll = await _sandbox.RunAsync("poll", "--once");
        Assert.Equal(0, poll.ExitCode);

        var brief = await _sandbox.RunAsync("brief", "japan", "--format", "json");

        Assert.Equal(0, brief.ExitCode);
        var json = JsonNode.Parse(brief.Out)!;
        Assert.Equal("japan", json["query"]!.GetValue<string>());
        Assert.Equal(["JP"], json["resolved"]!["countries"]!.AsArray().Select(c => c!.GetValue<string>()));
        var cyber = json["sections"]!.AsArray().Single(s => s!["topic"]!.GetValue<string>() == "cyberattacks")!;
        var kerry = cyber["items"]!.AsArray().Single(i => i!["title"]!.GetValue<string>().StartsWith("Kerry", StringComparison.Ordinal))!;
        var countries = kerry["countries"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Contains("JP", countries);
        Assert.Contains("CN", countries);
        Assert.Contains("US", countries);
        Assert.Equal("cyberattacks", kerry["topics"]![0]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", json["since"]!.GetValue<string>());
    }

    [Fact]
    public async Task BriefText_AfterPoll_PrintsTheDigest()
    {
        await _sandbox.RunAsync("poll");

        var brief = await _sandbox.RunAsync("brief", "JP", "--since", "30d", "--limit", "2");

        Assert.Equal(0, brief.ExitCode);
        Assert.Contains("Brief: Japan", brief.Out, StringComparison.Ordinal);
        Assert.Contains("[cyberattacks]", brief.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_Twice_StoresNothingTwice()
    {
        var first = await _sandbox.RunAsync("poll");
        var second = await _sandbox.RunAsync("poll");

        Assert.Matches(@"Asia Security Wire: [1-9]\d* new", first.Out);
        Assert.Matches(@"Asia Security Wire: 0 new, 0 merged into stories from other feeds, [1-9]\d* already seen", second.Out);
    }

    [Fact]
    public async Task Poll_SameStoryInTwoFeeds_MergedIntoOneStoryWithBothSources()
    {
        // Feeds are polled at once, so either feed may bring the story first and the other merge into it.
        var poll = await _sandbox.RunAsync("poll");
        Assert.Matches(@"4 feeds in [\d.]+ s: \d+ new, 1 merged, 0 already seen, 0 failed, 0 not due", poll.Out);

        var brief = await _sandbox.RunAsync("brief", "telco", "--format", "json");
        var items = JsonNode.Parse(brief.Out)!["sections"]!.AsArray().SelectMany(s => s!["items"]!.AsArray()).ToList();
        var story = items.First(i => i!["link"]!.GetValue<string>().Contains("australian-telco-breach", StringComparison.Ordinal))!;
        Assert.Equal(["Asia Security Wire", "Global Briefing"], story["sources"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Brief_Typo_ExitOneWithSuggestions()
    {
        var brief = await _sandbox.RunAsync("brief", "japn", "--format", "json");

        Assert.Equal(1, brief.ExitCode);
        var json = JsonNode.Parse(brief.Out)!;
        Assert.NotNull(json["error"]);
        Assert.Contains("Japan", json["suggestions"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task Classify_Json_OneLinePerInputAndAnErrorLineForBadInput()
    {
        _sandbox.WriteFile("items.jsonl", string.Join('\n',
            """{"id":"a","title":"Ransomware attack cripples Tokyo hospital","text":"Hackers encrypted patient records at a hospital in Tokyo, Japan."}""",
            "this is not json",
            """{"title":"no id"}""",
            """{"id":"b","title":"Heart attack survivor runs marathon","text":"A Boston man who survived a heart attack finished the race."}"""));

        var result = await _sandbox.RunAsync("classify", "--input", Path.Combine(_sandbox.Root, "items.jsonl"), "--format", "json");

        Assert.Equal(1, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Equal("a", lines[0]["id"]!.GetValue<string>());
        Assert.Contains("cyberattacks", lines[0]["topics"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("JP", lines[0]["countries"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.NotEmpty(lines[0]["evidence"]!["cyberattacks"]!.AsArray());
        Assert.Equal(3, lines[0]["scores"]!.AsObject().Count);
        Assert.NotNull(lines[1]["error"]);
        Assert.Equal(JsonValueKind.Null, lines[1]["id"]?.GetValueKind() ?? JsonValueKind.Null);
        Assert.NotNull(lines[2]["error"]);
        Assert.Empty(lines[3]["topics"]!.AsArray());
    }

    [Fact]
    public async Task Classify_ThresholdRaisedInConfiguration_TopicNoLongerApplies()
    {
        _sandbox.WriteFile("item.jsonl", """{"id":"t","title":"Exporters brace for new tariffs","text":"Customs duties on steel will rise next month."}""");
        var input = Path.Combine(_sandbox.Root, "item.jsonl");

        var before = JsonNode.Parse((await _sandbox.RunAsync("classify", "--input", input, "--format", "json")).Out)!;
        _sandbox.Configure(json => json["Classification"]!["Thresholds"] = new JsonObject { ["trade"] = 1.0 });
        var after = JsonNode.Parse((await _sandbox.RunAsync("classify", "--input", input, "--format", "json")).Out)!;

        Assert.Contains("trade", before["topics"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.DoesNotContain("trade", after["topics"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(before["scores"]!["trade"]!.GetValue<double>(), after["scores"]!["trade"]!.GetValue<double>());
    }

    [Fact]
    public async Task FeedsCheck_SeedAndBrokenFile_OneJsonLineEachInOrder()
    {
        _sandbox.WriteFile("not-a-feed.txt", "Hello, this is not XML at all.");
        var seed = Path.Combine(AppContext.BaseDirectory, "seeds", "feeds", "trade-monitor.rdf.xml");

        var result = await _sandbox.RunAsync("feeds", "check", seed, Path.Combine(_sandbox.Root, "not-a-feed.txt"), "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, lines.Count);
        Assert.True(lines[0]["ok"]!.GetValue<bool>());
        Assert.Equal("rss10", lines[0]["format"]!.GetValue<string>());
        Assert.NotEmpty(lines[0]["entries"]!.AsArray());
        Assert.False(lines[1]["ok"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(lines[1]["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task FeedsCheck_OnlyArgumentUnreadable_ExitOne()
    {
        var result = await _sandbox.RunAsync("feeds", "check", Path.Combine(_sandbox.Root, "missing.xml"));

        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task FeedsAddListRemove_RoundTrip()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "seeds", "feeds", "climate-desk.atom.xml");

        var add = await _sandbox.RunAsync("feeds", "add", file, "--name", "extra", "--cron", "0 0 * * * ?");
        var duplicate = await _sandbox.RunAsync("feeds", "add", file, "--name", "extra");
        var list = await _sandbox.RunAsync("feeds", "list", "--format", "json");
        var removeConfigured = await _sandbox.RunAsync("feeds", "remove", "Climate Desk");
        var remove = await _sandbox.RunAsync("feeds", "remove", "extra");
        var removeAgain = await _sandbox.RunAsync("feeds", "remove", "extra");

        Assert.Equal(0, add.ExitCode);
        Assert.Equal(2, duplicate.ExitCode);
        var rows = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(5, rows.Count);
        Assert.Contains(rows, r => r["name"]!.GetValue<string>() == "extra" && !r["from_configuration"]!.GetValue<bool>());
        Assert.Equal(2, removeConfigured.ExitCode);
        Assert.Equal(0, remove.ExitCode);
        Assert.Equal(1, removeAgain.ExitCode);
    }

    [Fact]
    public async Task FeedsAdd_UnreadableFeed_RefusedAndNotStored()
    {
        _sandbox.WriteFile("broken.xml", "<rss><channel><item><title>cut off");

        var add = await _sandbox.RunAsync("feeds", "add", Path.Combine(_sandbox.Root, "broken.xml"), "--name", "broken");
        var list = await _sandbox.RunAsync("feeds", "list");

        Assert.NotEqual(0, add.ExitCode);
        Assert.DoesNotContain("broken", list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_FeedThatIsNotXmlAndATruncatedOne_ReportedAndOthersStillStored()
    {
        _sandbox.WriteFile("garbage.xml", "\u0000\u0001 definitely not a feed");
        _sandbox.WriteFile("truncated.xml", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>Tariff talks collapse</title><link>https://t.example/1</link></item><item><title>Second");
        _sandbox.Configure(json =>
        {
            var items = json["Feeds"]!["Items"]!.AsArray();
            items.Add(new JsonObject { ["Name"] = "Garbage", ["Source"] = Path.Combine(_sandbox.Root, "garbage.xml") });
            items.Add(new JsonObject { ["Name"] = "Truncated", ["Source"] = Path.Combine(_sandbox.Root, "truncated.xml") });
        });

        var poll = await _sandbox.RunAsync("poll");
        var status = await _sandbox.RunAsync("feeds", "status", "--format", "json");

        Assert.Equal(0, poll.ExitCode);
        Assert.Contains("Garbage: FAILED: ", poll.Out, StringComparison.Ordinal);
        Assert.Matches(@"Asia Security Wire: [1-9]\d* new", poll.Out);
        var garbage = status.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).Single(r => r["name"]!.GetValue<string>() == "Garbage");
        Assert.Equal(1, garbage["consecutive_failures"]!.GetValue<int>());
        Assert.NotNull(garbage["last_error"]);

        // A truncated feed gives what it could read before the break, or fails cleanly; it never crashes the poll.
        Assert.Matches(@"Truncated: (FAILED: .+|[01] new)", poll.Out);
    }

    [Fact]
    public async Task Poll_StoreFailsForOneFeed_OthersStillPolledAndTheFailureReported()
    {
        var poll = await _sandbox.RunAsync(["poll"], services =>
        {
            var real = services.Single(s => s.ServiceType == typeof(IItemStore));
            services.Remove(real);
            services.AddSingleton<IItemStore>(sp => new FailingForOneFeed((IItemStore)ActivatorUtilities.CreateInstance(sp, real.ImplementationType!), "Climate Desk"));
        }, TestContext.Current.CancellationToken);

        Assert.True(poll.ExitCode == 0, poll.Error);
        Assert.Contains("Climate Desk: FAILED: unexpected error: disk full", poll.Out, StringComparison.Ordinal);
        Assert.Matches(@"Asia Security Wire: [1-9]\d* new", poll.Out);
    }

    /// <summary>An item store whose writes fail for one feed, as a full disk or a locked file would.</summary>
    private sealed class FailingForOneFeed(IItemStore inner, string feed) : IItemStore
    {
        public Task<bool> ContainsEntryAsync(string feedName, string entryKey, CancellationToken cancellationToken) =>
            inner.ContainsEntryAsync(feedName, entryKey, cancellationToken);

        public Task<ItemStoreOutcome> AddAsync(IncomingItem item, ItemClassification classification, DateTimeOffset seenAt, CancellationToken cancellationToken) =>
            item.FeedName == feed ? throw new IOException("disk full") : inner.AddAsync(item, classification, seenAt, cancellationToken);

        public Task<IReadOnlyList<StoredItem>> FindAsync(ItemQuery query, CancellationToken cancellationToken) => inner.FindAsync(query, cancellationToken);
    }

    [Fact]
    public async Task Poll_OnlyFeedAskedForFails_ExitOne()
    {
        _sandbox.WriteFile("garbage.xml", "not a feed");
        _sandbox.Configure(json => json["Feeds"]!["Items"]!.AsArray().Add(new JsonObject { ["Name"] = "Garbage", ["Source"] = Path.Combine(_sandbox.Root, "garbage.xml") }));

        var poll = await _sandbox.RunAsync("poll", "--feed", "Garbage");
        var unknown = await _sandbox.RunAsync("poll", "--feed", "Nope");

        Assert.Equal(1, poll.ExitCode);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--feed", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatVerb_SubscribeThenList_UsesTheCommandHandler()
    {
        var subscribe = await _sandbox.RunAsync("chat", "subscribe", "trade", "china");
        var list = await _sandbox.RunAsync("chat", "subscriptions");

        Assert.Equal(0, subscribe.ExitCode);
        Assert.Contains("Subscribed this channel: trade about China", subscribe.Out, StringComparison.Ordinal);
        Assert.Contains("demo-console", list.Out, StringComparison.Ordinal);
        Assert.Contains("trade about China", list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscriptionsResume_PausedSubscription_ListedPausedThenActive()
    {
        using (var host = ThreatBriefBotHost.Build(new HostSettings(_sandbox.ConfigFile, _sandbox.DataDirectory, HostMode.Command), TextWriter.Null))
        {
            await ThreatBriefBotHost.PrepareAsync(host, HostMode.Command, migrate: true, TestContext.Current.CancellationToken);
            await host.Services.GetRequiredService<ISubscriptionStore>().PauseAsync("japan-morning", "console:stdout refused (test)", TestContext.Current.CancellationToken);
            var outbox = host.Services.GetRequiredService<IDigestOutbox>();
            var fireTime = new DateTimeOffset(2026, 12, 1, 23, 0, 0, TimeSpan.Zero);
            var key = DigestKeys.For("japan-morning", fireTime);
            await outbox.TryDecideAsync(
                new DecidedDigest(key, "japan-morning", fireTime, new ChatTarget(ChatPlatform.Console, "stdout"), fireTime, ["item-1"], [new DigestPart(0, "one"), new DigestPart(1, "two")]),
                TestContext.Current.CancellationToken);
            await outbox.RecordAcceptedAsync(key, 0, null, fireTime, TestContext.Current.CancellationToken);
        }

        var paused = await _sandbox.RunAsync("subscriptions", "list");
        var resume = await _sandbox.RunAsync("subscriptions", "resume", "japan-morning");
        var again = await _sandbox.RunAsync("subscriptions", "resume", "japan-morning");
        var active = await _sandbox.RunAsync("subscriptions", "list");

        var pausedLine = paused.Out.Split('\n').Single(l => l.Contains("PAUSED", StringComparison.Ordinal));
        Assert.Contains("japan-morning", pausedLine, StringComparison.Ordinal);
        Assert.Contains("1 digest(s) waiting, 1 items, the next at message 2 of 2", pausedLine, StringComparison.Ordinal);
        Assert.Equal(0, resume.ExitCode);
        Assert.Equal(1, again.ExitCode);
        Assert.DoesNotContain("PAUSED", active.Out, StringComparison.Ordinal);
        Assert.Contains("demo-console", active.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("brief")]
    [InlineData("brief", "japan", "--since", "yesterday")]
    [InlineData("brief", "japan", "--format", "xml")]
    [InlineData("frobnicate")]
    [InlineData("feeds", "add", "x", "--cron", "every minute")]
    public async Task BadUsage_ExitTwoWithOneLineMessage(params string[] args)
    {
        var result = await _sandbox.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Help_EveryVerb_ExitZero()
    {
        foreach (var verb in new[] { "run", "poll", "brief", "classify", "chat", "subscriptions" })
        {
            var help = await _sandbox.RunAsync(verb, "--help");
            Assert.Equal(0, help.ExitCode);
            Assert.Contains("Usage:", help.Out, StringComparison.Ordinal);
        }
    }
}
