using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.IntegrationTests.Host;

/// <summary>The real worker: Quartz schedules, a feed on a loopback server, SQLite, the console channel.</summary>
public sealed class WorkerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    // Published an hour ago, so the item is news to the subscription whatever day the test runs.
    private static readonly string Feed = $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Loopback Wire</title><link>https://loopback.example/</link>
        <item><guid>lw-1</guid><title>Ransomware gang hits Osaka port operator</title>
          <link>https://loopback.example/osaka-ransomware</link>
          <description>&lt;p&gt;A ransomware attack disrupted container terminals in Osaka, Japan, the operator said.&lt;/p&gt;</description>
          <pubDate>{DateTimeOffset.UtcNow.AddHours(-1):R}</pubDate></item>
        <item><guid>lw-2</guid><title>Heart attack survivor wins chess title</title>
          <link>https://loopback.example/chess</link><description>A feel-good story.</description></item>
        </channel></rss>
        """;

    private void ConfigureWorker(Uri feedUrl) => _sandbox.Configure(json =>
    {
        json["Feeds"]!["Items"] = new JsonArray(new JsonObject { ["Name"] = "Loopback Wire", ["Source"] = feedUrl.ToString() });
        json["Digests"]!["Subscriptions"] = new JsonArray(new JsonObject
        {
            ["Name"] = "every-two-seconds",
            ["Platform"] = "Console",
            ["Channel"] = "stdout",
            ["Topics"] = new JsonArray("cyberattacks", "climate", "trade"),
            ["Cron"] = "0/2 * * * * ?",
            ["TimeZone"] = "UTC",
        });
    });

    [Fact]
    public async Task Run_FeedOnLoopback_PollsAndPrintsTheDigest()
    {
        await using var server = await FakeFeedServer.StartAsync();
        server.Serve("/feed.xml", Encoding.UTF8.GetBytes(Feed), "application/rss+xml");
        ConfigureWorker(server.UrlFor("/feed.xml"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var output = new SharedWriter();

        var worker = Cli.CliApp.RunAsync(["run", "--config", _sandbox.ConfigFile, "--data-dir", _sandbox.DataDirectory], output, new SharedWriter(), cancellationToken: stop.Token);
        var printed = await WaitForAsync(() => output.ToString().Contains("Ransomware gang hits Osaka port operator", StringComparison.Ordinal), worker);
        await stop.CancelAsync();
        var exitCode = await worker;

        Assert.True(printed, "no digest within the time allowed; output was:\n" + output);
        Assert.Equal(0, exitCode);
        var text = output.ToString();
        Assert.Contains("Digest every-two-seconds", text, StringComparison.Ordinal);
        Assert.Contains("[cyberattacks]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("chess", text, StringComparison.Ordinal);
        var request = Assert.Single(server.RequestsFor("/feed.xml").Take(1));
        Assert.StartsWith("ThreatBriefBot/", request.Headers["User-Agent"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ChannelRefusesOnce_TheDecidedDigestIsPostedLaterAndNothingLost()
    {
        await using var server = await FakeFeedServer.StartAsync();
        server.Serve("/feed.xml", Encoding.UTF8.GetBytes(Feed), "application/rss+xml");
        ConfigureWorker(server.UrlFor("/feed.xml"));
        var channel = new FlakyConsoleChannel();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var worker = Cli.CliApp.RunAsync(
            ["run", "--config", _sandbox.ConfigFile, "--data-dir", _sandbox.DataDirectory],
            new SharedWriter(),
            new SharedWriter(),
            services => services.AddSingleton<IChatAdapter>(channel),
            stop.Token);
        var delivered = await WaitForAsync(() => channel.Accepted.Count > 0, worker);
        await stop.CancelAsync();
        await worker;

        Assert.True(delivered, "the digest was never delivered after the refusal");
        Assert.True(channel.Refused >= 1);
        Assert.Contains("Osaka", channel.Accepted[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SecondWorkerOnTheSameDataDirectory_RefusesNamingTheHolderAndDeliversNothing()
    {
        await using var server = await FakeFeedServer.StartAsync();
        server.Serve("/feed.xml", Encoding.UTF8.GetBytes(Feed), "application/rss+xml");
        ConfigureWorker(server.UrlFor("/feed.xml"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var firstOutput = new SharedWriter();
        var first = Cli.CliApp.RunAsync(["run", "--config", _sandbox.ConfigFile, "--data-dir", _sandbox.DataDirectory], firstOutput, new SharedWriter(), cancellationToken: stop.Token);
        Assert.True(await WaitForAsync(() => firstOutput.ToString().Contains("Osaka", StringComparison.Ordinal), first), "the first worker never delivered");

        var secondOutput = new SharedWriter();
        var secondError = new SharedWriter();
        var second = await Cli.CliApp.RunAsync(
            ["run", "--config", _sandbox.ConfigFile, "--data-dir", _sandbox.DataDirectory], secondOutput, secondError, cancellationToken: stop.Token);
        await stop.CancelAsync();

        Assert.Equal(0, await first);
        Assert.Equal(2, second);
        Assert.Contains("another worker", secondError.ToString(), StringComparison.Ordinal);
        Assert.Contains($"pid {Environment.ProcessId}", secondError.ToString(), StringComparison.Ordinal);
        Assert.Equal("", secondOutput.ToString());
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition, Task worker)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline && !worker.IsCompleted)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return condition();
    }

    /// <summary>A console channel that refuses its first digest, as a chat platform that is down would.</summary>
    private sealed class FlakyConsoleChannel : IChatAdapter
    {
        private int _calls;

        public int Refused { get; private set; }

        public List<string> Accepted { get; } = [];

        public ChatPlatform Platform => ChatPlatform.Console;

        public IReadOnlyList<string> RenderDigest(ChatTarget target, Digest digest, string digestKey) => [DigestTextRenderer.Render(digest)];

        public Task<string?> PostDigestPartAsync(ChatTarget target, DigestPartPost part, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Refused++;
                throw new HttpRequestException("503 Service Unavailable");
            }

            lock (Accepted)
            {
                Accepted.Add(part.Body);
            }

            return Task.FromResult<string?>(null);
        }

        public Task PostReplyAsync(ChatTarget target, ChatReply reply, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
