using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ThreatBriefBot.IntegrationTests.Host;

/// <summary>
/// Issue 3's polling behaviours, scripted on a loopback publisher and observed as an operator would: through
/// <c>poll</c>, <c>feeds status</c> and <c>brief</c>.
/// </summary>
public sealed class PollingTests : IAsyncLifetime
{
    private readonly CliSandbox _sandbox = new();
    private FakeFeedServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeFeedServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _sandbox.Dispose();
    }

    private static byte[] Rss(params (string Guid, string Title, string Link, DateTimeOffset Published)[] items)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Loopback</title><link>https://loop.example/</link>");
        foreach (var (guid, title, link, published) in items)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>")
                .Append(CultureInfo.InvariantCulture, $"<description>{title}. Officials in Tokyo said hackers used ransomware against the operator, and investigators are still tracing the intrusion across several networks.</description>")
                .Append(CultureInfo.InvariantCulture, $"<pubDate>{published:R}</pubDate></item>");
        }

        return Encoding.UTF8.GetBytes(xml.Append("</channel></rss>").ToString());
    }

    private static readonly DateTimeOffset Recently = DateTimeOffset.UtcNow.AddHours(-1);

    private static readonly byte[] OneItem = Rss(("g1", "Ransomware hits Osaka port", "https://loop.example/osaka", Recently));

    /// <summary>Points the sandbox at the given feeds (name → path on the fake server) and applies extra settings.</summary>
    private void UseFeeds(IReadOnlyDictionary<string, string> feeds, Action<JsonObject>? change = null) => _sandbox.Configure(json =>
    {
        json["Feeds"]!["Items"] = new JsonArray([.. feeds.Select(f => (JsonNode)new JsonObject { ["Name"] = f.Key, ["Source"] = _server.UrlFor(f.Value).ToString() })]);
        json["Feeds"]!["PerHostMinInterval"] = "00:00:00";
        change?.Invoke(json);
    });

    private void UseFeed(string path, Action<JsonObject>? change = null) => UseFeeds(new Dictionary<string, string> { ["Loop"] = path }, change);

    private async Task<JsonNode> StatusAsync(string feed = "Loop")
    {
        var status = await _sandbox.RunAsync("feeds", "status", "--format", "json");
        return status.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).Single(r => r["name"]!.GetValue<string>() == feed);
    }

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Poll_SecondTimeWithValidators_ConditionalGetAnswered304()
    {
        _server.Serve("/f.xml", OneItem, "application/rss+xml", etag: "\"v1\"", lastModified: "Tue, 24 Nov 2026 08:00:00 GMT");
        UseFeed("/f.xml");

        await _sandbox.RunAsync("poll");
        var second = await _sandbox.RunAsync("poll");

        Assert.Contains("Loop: not modified", second.Out, StringComparison.Ordinal);
        var requests = _server.RequestsFor("/f.xml");
        Assert.Equal("\"v1\"", requests[1].Headers["If-None-Match"]);
        Assert.Equal("Tue, 24 Nov 2026 08:00:00 GMT", requests[1].Headers["If-Modified-Since"]);
    }

    [Fact]
    public async Task Poll_ETagChangesWithNewItems_OnlyTheNewOnesStored()
    {
        _server.Serve("/f.xml", OneItem, "application/rss+xml", etag: "\"v1\"");
        UseFeed("/f.xml");
        await _sandbox.RunAsync("poll");
        _server.Serve("/f.xml", Rss(("g1", "Ransomware hits Osaka port", "https://loop.example/osaka", Recently), ("g2", "Tariffs on steel rise", "https://loop.example/steel", Recently)), "application/rss+xml", etag: "\"v2\"");

        var second = await _sandbox.RunAsync("poll");

        Assert.Contains("Loop: 1 new, 0 merged into stories from other feeds, 1 already seen", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_PublisherRewritesDateAndTitle_NotNew()
    {
        _server.Serve("/f.xml", OneItem, "application/rss+xml");
        UseFeed("/f.xml");
        await _sandbox.RunAsync("poll");
        _server.Serve("/f.xml", Rss(("g1", "UPDATED: Ransomware hits Osaka port operator", "https://loop.example/osaka", Recently.AddMinutes(30))), "application/rss+xml");

        var second = await _sandbox.RunAsync("poll");

        Assert.Contains("Loop: 0 new, 0 merged into stories from other feeds, 1 already seen", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_TooManyRequestsWithRetryAfter_WaitsAsAsked()
    {
        _server.ServeStatus("/f.xml", 429, new Dictionary<string, string> { ["Retry-After"] = "7200" });
        UseFeed("/f.xml");

        var first = await _sandbox.RunAsync("poll");
        var status = await StatusAsync();
        var second = await _sandbox.RunAsync("poll");

        Assert.Contains("Loop: FAILED: HTTP 429", first.Out, StringComparison.Ordinal);
        Assert.True(Time(status["next_poll"]) >= DateTimeOffset.UtcNow.AddHours(1.9), $"next poll {status["next_poll"]}");
        Assert.Contains("Loop: not due until", second.Out, StringComparison.Ordinal);
        Assert.Single(_server.RequestsFor("/f.xml"));
    }

    [Fact]
    public async Task Poll_CacheControlMaxAge_NotPolledBeforeItExpires()
    {
        _server.Serve("/f.xml", OneItem, "application/rss+xml", headers: new Dictionary<string, string> { ["Cache-Control"] = "max-age=1800" });
        UseFeed("/f.xml");

        await _sandbox.RunAsync("poll");
        var second = await _sandbox.RunAsync("poll");
        var forced = await _sandbox.RunAsync("poll", "--force");

        Assert.Contains("Loop: not due until", second.Out, StringComparison.Ordinal);
        Assert.Contains("Loop: 0 new", forced.Out, StringComparison.Ordinal);
        Assert.Equal(2, _server.RequestsFor("/f.xml").Count);
    }

    [Fact]
    public async Task Poll_ServerKeepsFailing_BacksOffAlertsOpsOnceAndRecovers()
    {
        _server.ServeStatus("/f.xml", 500);
        UseFeed("/f.xml", json => json["Alerts"] = new JsonObject { ["FeedFailureThreshold"] = 2, ["Platform"] = "Console", ["Channel"] = "ops" });

        var outputs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            outputs.Add((await _sandbox.RunAsync("poll", "--force")).Out);
        }

        var failing = await StatusAsync();
        _server.Serve("/f.xml", OneItem, "application/rss+xml");
        var recovered = await _sandbox.RunAsync("poll", "--force");
        var healthy = await StatusAsync();

        Assert.All(outputs, o => Assert.Contains("Loop: FAILED: HTTP 500", o, StringComparison.Ordinal));
        Assert.DoesNotContain("has failed", outputs[0], StringComparison.Ordinal);
        Assert.Contains("Feed 'Loop' has failed 2 times in a row: HTTP 500", outputs[1], StringComparison.Ordinal);
        Assert.DoesNotContain("has failed", outputs[2], StringComparison.Ordinal);
        Assert.Equal(3, failing["consecutive_failures"]!.GetValue<int>());
        Assert.False(failing["healthy"]!.GetValue<bool>());
        Assert.True(Time(failing["next_poll"]) > DateTimeOffset.UtcNow.AddMinutes(10), "the third failure backs off about 20 minutes");
        Assert.Contains("Feed 'Loop' is readable again after 3 failures", recovered.Out, StringComparison.Ordinal);
        Assert.True(healthy["healthy"]!.GetValue<bool>());
        Assert.Null(healthy["last_error"]);
    }

    [Fact]
    public async Task Poll_ServerTooSlow_TimesOut()
    {
        _server.Serve("/f.xml", OneItem, "application/rss+xml", delay: TimeSpan.FromSeconds(10));
        UseFeed("/f.xml", json => json["Feeds"]!["RequestTimeout"] = "00:00:01");

        var poll = await _sandbox.RunAsync("poll");

        Assert.Contains("Loop: FAILED: timed out after 1 s", poll.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_BodyTrickles_TimesOutRatherThanHangs()
    {
        _server.Serve("/f.xml", OneItem, "application/rss+xml", trickle: TimeSpan.FromMilliseconds(200));
        UseFeed("/f.xml", json => json["Feeds"]!["RequestTimeout"] = "00:00:01");

        var poll = await _sandbox.RunAsync("poll");

        Assert.Contains("Loop: FAILED: timed out after 1 s", poll.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_PermanentRedirect_FollowedAndTheNewAddressKept()
    {
        _server.ServeRedirect("/old.xml", 301, "/new.xml");
        _server.Serve("/new.xml", OneItem, "application/rss+xml");
        UseFeed("/old.xml");

        var first = await _sandbox.RunAsync("poll");
        await _sandbox.RunAsync("poll", "--force");
        var status = await StatusAsync();

        Assert.Contains("Loop: 1 new", first.Out, StringComparison.Ordinal);
        Assert.Single(_server.RequestsFor("/old.xml"));
        Assert.Equal(2, _server.RequestsFor("/new.xml").Count);
        Assert.EndsWith("/new.xml", status["source"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_TemporaryRedirect_FollowedButTheAddressKept()
    {
        _server.ServeRedirect("/f.xml", 302, "/elsewhere.xml");
        _server.Serve("/elsewhere.xml", OneItem, "application/rss+xml");
        UseFeed("/f.xml");

        await _sandbox.RunAsync("poll");
        var status = await StatusAsync();

        Assert.EndsWith("/f.xml", status["source"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_RedirectLoopOrChainTooLong_FailsClearly()
    {
        _server.ServeRedirect("/a.xml", 302, "/b.xml");
        _server.ServeRedirect("/b.xml", 302, "/a.xml");
        for (var i = 0; i < 7; i++)
        {
            _server.ServeRedirect($"/hop{i}.xml", 307, $"/hop{i + 1}.xml");
        }

        _server.Serve("/hop7.xml", OneItem, "application/rss+xml");
        UseFeeds(new Dictionary<string, string> { ["Loop"] = "/a.xml", ["Chain"] = "/hop0.xml" });

        var poll = await _sandbox.RunAsync("poll");

        Assert.Contains("Loop: FAILED: redirect loop", poll.Out, StringComparison.Ordinal);
        Assert.Contains("Chain: FAILED: too many redirects: more than 5", poll.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_GzipBombOrOversizedBody_RefusedAsTooLarge()
    {
        var zeros = new byte[48 * 1024 * 1024];
        _server.Serve("/bomb.xml", zeros, "application/rss+xml", gzip: true);
        _server.Serve("/big.xml", new byte[3 * 1024 * 1024], "application/rss+xml");
        UseFeeds(new Dictionary<string, string> { ["Bomb"] = "/bomb.xml", ["Big"] = "/big.xml" }, json => json["Feeds"]!["MaxDocumentBytes"] = 1024 * 1024);

        var poll = await _sandbox.RunAsync("poll");

        Assert.Contains("Bomb: FAILED: too large", poll.Out, StringComparison.Ordinal);
        Assert.Contains("Big: FAILED: too large", poll.Out, StringComparison.Ordinal);
        Assert.Equal("gzip", _server.RequestsFor("/bomb.xml")[0].Headers["Accept-Encoding"].Split(',')[0].Trim());
    }

    [Fact]
    public async Task Poll_SameStoryInThreeFeeds_OneStoryWithThreeSources()
    {
        _server.Serve("/a.xml", Rss(("a1", "Ransomware hits Osaka port", "https://wire.example/osaka?utm_source=a", Recently)), "application/rss+xml");
        _server.Serve("/b.xml", Rss(("b1", "Osaka port hit by ransomware", "http://www.wire.example/osaka/", Recently)), "application/rss+xml");
        _server.Serve("/c.xml", Rss(("c1", "Ransomware attack on Osaka port", "https://wire.example/osaka#top", Recently)), "application/rss+xml");
        UseFeeds(new Dictionary<string, string> { ["A"] = "/a.xml", ["B"] = "/b.xml", ["C"] = "/c.xml" });

        var poll = await _sandbox.RunAsync("poll");
        var brief = JsonNode.Parse((await _sandbox.RunAsync("brief", "osaka", "--format", "json")).Out)!;

        Assert.Contains("3 feeds in", poll.Out, StringComparison.Ordinal);
        Assert.Contains("1 new, 2 merged", poll.Out, StringComparison.Ordinal);
        var story = Assert.Single(brief["sections"]!.AsArray().SelectMany(s => s!["items"]!.AsArray()).DistinctBy(i => i!["id"]!.GetValue<string>()));
        Assert.Equal(["A", "B", "C"], story!["sources"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Poll_ManyFeedsOnOneHost_AtMostTheConfiguredRequestsInFlight()
    {
        var feeds = new Dictionary<string, string>();
        for (var i = 0; i < 8; i++)
        {
            _server.Serve($"/f{i}.xml", Rss(($"g{i}", $"Item {i}", $"https://loop.example/{i}", Recently)), "application/rss+xml", delay: TimeSpan.FromMilliseconds(300));
            feeds[$"F{i}"] = $"/f{i}.xml";
        }

        UseFeeds(feeds, json => json["Feeds"]!["MaxRequestsPerHost"] = 2);

        var poll = await _sandbox.RunAsync("poll");

        Assert.Contains("8 feeds in", poll.Out, StringComparison.Ordinal);
        Assert.Equal(2, _server.MaxConcurrentRequests);
    }

    [Fact]
    public async Task Poll_MinimumIntervalPerHost_RequestsSpacedOut()
    {
        var feeds = new Dictionary<string, string>();
        for (var i = 0; i < 4; i++)
        {
            _server.Serve($"/s{i}.xml", Rss(($"s{i}", $"Item {i}", $"https://loop.example/s{i}", Recently)), "application/rss+xml");
            feeds[$"S{i}"] = $"/s{i}.xml";
        }

        UseFeeds(feeds, json => json["Feeds"]!["PerHostMinInterval"] = "00:00:00.400");

        var poll = await _sandbox.RunAsync("poll");

        // Four requests at least 400 ms apart take at least 1.2 s, however many may be in flight.
        var seconds = double.Parse(System.Text.RegularExpressions.Regex.Match(poll.Out, @"4 feeds in ([\d.]+) s").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(seconds >= 1.1, $"took {seconds} s");
    }
}
