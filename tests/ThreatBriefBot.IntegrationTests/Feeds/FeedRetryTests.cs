using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Core.Http;
using ThreatBriefBot.Feeds;

namespace ThreatBriefBot.IntegrationTests.Feeds;

/// <summary>
/// The feed client's retry on a fake clock: a GET whose connection broke before any answer is sent again; an
/// answer (a 503 with Retry-After) is not, and goes to the poll state as before.
/// </summary>
public sealed class FeedRetryTests : IAsyncLifetime
{
    private const string Rss = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Loopback Wire</title>
        <item><title>Item one</title><link>/a/1</link><guid>one</guid></item></channel></rss>
        """;

    private readonly FakeTimeProvider _time = new();
    private FakeFeedServer _server = null!;
    private ServiceProvider _services = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeFeedServer.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Feeds:RequestTimeout"] = "00:01:00",
            ["Feeds:MaxTransientRetries"] = 2.ToString(CultureInfo.InvariantCulture),
            ["Feeds:RetryBackoff"] = "00:00:02",
        }).Build();
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton(new RetryJitter(() => 0.5))
            .AddFeeds()
            .BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    private Task<FeedFetchResult> FetchAsync(string path) =>
        FakeClock.RunAsync(_time, _services.GetRequiredService<FeedFetcher>().FetchAsync(_server.UrlFor(path).ToString(), null, TestContext.Current.CancellationToken), TimeSpan.FromSeconds(1));

    [Fact]
    public async Task FetchAsync_ConnectionResetOnce_RetriedAndRead()
    {
        _server.Serve("/rss.xml", Encoding.UTF8.GetBytes(Rss), "application/rss+xml");
        _server.DropNext("/rss.xml", 1);
        var started = _time.GetUtcNow();

        var result = await FetchAsync("/rss.xml");

        Assert.True(result.Status == FeedFetchStatus.Ok, result.Error);
        Assert.Equal(2, _server.RequestsFor("/rss.xml").Count);
        Assert.True(_time.GetUtcNow() - started >= TimeSpan.FromSeconds(1), "retried without a pause");
    }

    [Fact]
    public async Task FetchAsync_ConnectionResetEveryTime_FailsAfterMaxTransientRetries()
    {
        _server.Serve("/rss.xml", Encoding.UTF8.GetBytes(Rss), "application/rss+xml");
        _server.DropNext("/rss.xml", 10);

        var result = await FetchAsync("/rss.xml");

        Assert.Equal(FeedFetchStatus.Failed, result.Status);
        Assert.StartsWith("cannot connect", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, _server.RequestsFor("/rss.xml").Count);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    public async Task FetchAsync_ServerAnswersAnError_NotRetriedInTheRequest(int status)
    {
        _server.ServeStatus("/busy.xml", status, new Dictionary<string, string> { ["Retry-After"] = "120" });

        var result = await FetchAsync("/busy.xml");

        Assert.Equal(FeedFetchStatus.Failed, result.Status);
        Assert.Equal(status == 503 ? TimeSpan.FromSeconds(120) : null, result.RetryAfter);
        Assert.Single(_server.RequestsFor("/busy.xml"));
    }
}
