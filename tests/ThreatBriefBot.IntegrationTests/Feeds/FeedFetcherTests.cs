using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Feeds;

namespace ThreatBriefBot.IntegrationTests.Feeds;

public sealed class FeedFetcherTests : IAsyncLifetime
{
    private const string Rss = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Loopback Wire</title>
        <item><title>Item one</title><link>/a/1</link><guid>one</guid></item></channel></rss>
        """;

    private FakeFeedServer _server = null!;
    private ServiceProvider _services = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeFeedServer.StartAsync();
        _services = BuildServices(maxDocumentBytes: 4096);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static ServiceProvider BuildServices(long maxDocumentBytes, string timeout = "00:00:05")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Feeds:UserAgent"] = "ThreatBriefBot-Test/1.0",
            ["Feeds:RequestTimeout"] = timeout,
            ["Feeds:MaxDocumentBytes"] = maxDocumentBytes.ToString(CultureInfo.InvariantCulture),
        }).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddFeeds().BuildServiceProvider();
    }

    private FeedFetcher Fetcher => _services.GetRequiredService<FeedFetcher>();

    [Fact]
    public async Task FetchAsync_Ok_SendsUserAgentAndResolvesLinksAgainstUrl()
    {
        _server.Serve("/rss.xml", Encoding.UTF8.GetBytes(Rss), "application/rss+xml");

        var result = await Fetcher.FetchAsync(_server.UrlFor("/rss.xml").ToString(), null, TestContext.Current.CancellationToken);

        Assert.Equal(FeedFetchStatus.Ok, result.Status);
        Assert.Equal("Loopback Wire", result.Feed!.Title);
        Assert.Equal(_server.UrlFor("/a/1").ToString(), result.Feed.Entries[0].Link);
        Assert.Equal("ThreatBriefBot-Test/1.0", _server.RequestsFor("/rss.xml")[0].Headers["User-Agent"]);
    }

    [Fact]
    public async Task FetchAsync_SecondFetchWithValidators_ReturnsNotModified()
    {
        const string lastModified = "Tue, 24 Nov 2026 09:00:00 GMT";
        _server.Serve("/cond.xml", Encoding.UTF8.GetBytes(Rss), "application/rss+xml", "\"v1\"", lastModified);
        var url = _server.UrlFor("/cond.xml").ToString();
        var ct = TestContext.Current.CancellationToken;

        var first = await Fetcher.FetchAsync(url, null, ct);
        var state = FeedPollState.New("loop") with { ETag = first.ETag, LastModified = first.LastModified };
        var second = await Fetcher.FetchAsync(url, state, ct);

        Assert.Equal(FeedFetchStatus.Ok, first.Status);
        Assert.Equal("\"v1\"", first.ETag);
        Assert.Equal(lastModified, first.LastModified);
        Assert.Equal(FeedFetchStatus.NotModified, second.Status);
        Assert.Null(second.Feed);
        var sent = _server.RequestsFor("/cond.xml")[1].Headers;
        Assert.Equal("\"v1\"", sent["If-None-Match"]);
        Assert.Equal(lastModified, sent["If-Modified-Since"]);
    }

    [Fact]
    public async Task FetchAsync_NotFound_FailsWithHttpStatus()
    {
        _server.ServeStatus("/gone.xml", 404);

        var result = await Fetcher.FetchAsync(_server.UrlFor("/gone.xml").ToString(), null, TestContext.Current.CancellationToken);

        Assert.Equal(FeedFetchStatus.Failed, result.Status);
        Assert.StartsWith("HTTP 404", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_Oversized_FailsTooLarge()
    {
        var big = Encoding.UTF8.GetBytes("<rss version=\"2.0\"><channel><title>" + new string('x', 20_000) + "</title></channel></rss>");
        _server.Serve("/big.xml", big, "application/rss+xml");

        var result = await Fetcher.FetchAsync(_server.UrlFor("/big.xml").ToString(), null, TestContext.Current.CancellationToken);

        Assert.Equal(FeedFetchStatus.Failed, result.Status);
        Assert.StartsWith("too large", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_GzipOversizedOnlyAfterDecompression_FailsTooLarge()
    {
        var big = Encoding.UTF8.GetBytes("<rss version=\"2.0\"><channel><title>" + new string('x', 200_000) + "</title></channel></rss>");
        _server.Serve("/bomb.xml", big, "application/rss+xml", gzip: true);

        var result = await Fetcher.FetchAsync(_server.UrlFor("/bomb.xml").ToString(), null, TestContext.Current.CancellationToken);

        Assert.Equal(FeedFetchStatus.Failed, result.Status);
        Assert.StartsWith("too large", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_Gzip_IsDecompressed()
    {
        _server.Serve("/gz.xml", Encoding.UTF8.GetBytes(Rss), "application/rss+xml", gzip: true);

        var result = await Fetcher.FetchAsync(_server.UrlFor("/gz.xml").ToString(), null, TestContext.Current.CancellationToken);

        Assert.Equal(FeedFetchStatus.Ok, result.Status);
        Assert.Equal("Loopback Wire", result.Feed!.Title);
        Assert.Contains("gzip", _server.RequestsFor("/gz.xml")[0].Headers["Accept-Encoding"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_CharsetInContentType_IsHonoured()
    {
        var latin1 = Encoding.Latin1.GetBytes("<rss version=\"2.0\"><channel><title>Zürich</title></channel></rss>");
        _server.Serve("/latin1.xml", latin1, "application/rss+xml; charset=iso-8859-1");

        var result = await Fetcher.FetchAsync(_server.UrlFor("/latin1.xml").ToString(), null, TestContext.Current.CancellationToken);

        Assert.Equal("Zürich", result.Feed!.Title);
        Assert.Equal("windows-1252", result.Feed.Encoding);
    }

    [Fact]
    public async Task FetchAsync_ServerTooSlow_FailsTimedOut()
    {
        await using var services = BuildServices(maxDocumentBytes: 4096, timeout: "00:00:01");
        _server.ServeSlow("/slow.xml", Encoding.UTF8.GetBytes(Rss), "application/rss+xml", TimeSpan.FromSeconds(5));

        var result = await services.GetRequiredService<FeedFetcher>().FetchAsync(_server.UrlFor("/slow.xml").ToString(), null, TestContext.Current.CancellationToken);

        Assert.Equal(FeedFetchStatus.Failed, result.Status);
        Assert.StartsWith("timed out", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_HtmlPage_FailsNotAFeed()
    {
        _server.Serve("/page", Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body><p>Hello</body></html>"), "text/html");

        var result = await Fetcher.FetchAsync(_server.UrlFor("/page").ToString(), null, TestContext.Current.CancellationToken);

        Assert.Equal(FeedFetchStatus.Failed, result.Status);
        Assert.StartsWith("not a feed", result.Error, StringComparison.Ordinal);
        Assert.True(result.NotAFeed);
    }

    [Fact]
    public async Task FetchAsync_LocalFile_ReadsIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tbb-feed-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(path, Rss, TestContext.Current.CancellationToken);
        try
        {
            var byPath = await Fetcher.FetchAsync(path, null, TestContext.Current.CancellationToken);
            var byUri = await Fetcher.FetchAsync(new Uri(path).AbsoluteUri, null, TestContext.Current.CancellationToken);

            Assert.Equal(FeedFetchStatus.Ok, byPath.Status);
            Assert.Equal(FeedFetchStatus.Ok, byUri.Status);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task FetchAsync_MissingFile_FailsNotFound()
    {
        var result = await Fetcher.FetchAsync("/definitely/not/here.xml", null, TestContext.Current.CancellationToken);

        Assert.Equal(FeedFetchStatus.Failed, result.Status);
        Assert.Equal("not found: /definitely/not/here.xml", result.Error);
    }

    [Fact]
    public async Task CheckAsync_Url_RendersContractJson()
    {
        _server.Serve("/check.xml", Encoding.UTF8.GetBytes(Rss), "application/rss+xml");
        var url = _server.UrlFor("/check.xml").ToString();

        var result = await _services.GetRequiredService<FeedChecker>().CheckAsync(url, TestContext.Current.CancellationToken);
        var json = FeedCheckJson.Serialize(result);

        Assert.True(result.Ok);
        Assert.StartsWith($"{{\"source\":\"{url}\",\"ok\":true,\"bozo\":false,\"error\":null", json, StringComparison.Ordinal);
    }
}
