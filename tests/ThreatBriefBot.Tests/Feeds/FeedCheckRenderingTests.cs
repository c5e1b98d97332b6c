using System.Text.Json;
using ThreatBriefBot.Feeds;
using static ThreatBriefBot.Tests.Feeds.FeedFixtures;

namespace ThreatBriefBot.Tests.Feeds;

public sealed class FeedCheckRenderingTests
{
    [Fact]
    public void Serialize_ParsedFeed_WritesContractShapeOnOneLine()
    {
        var result = new FeedCheckResult("feed.xml", true, Parse(FeedFixtures.Rss20), null);

        var json = FeedCheckJson.Serialize(result);

        Assert.DoesNotContain('\n', json);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("feed.xml", root.GetProperty("source").GetString());
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.False(root.GetProperty("bozo").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal("rss20", root.GetProperty("format").GetString());
        Assert.Equal("utf-8", root.GetProperty("encoding").GetString());
        Assert.Equal("Example Wire", root.GetProperty("feed").GetProperty("title").GetString());
        Assert.Equal("2026-11-24T09:00:00Z", root.GetProperty("feed").GetProperty("updated").GetString());
        var entry = root.GetProperty("entries")[0];
        Assert.Equal("2026-11-24T07:30:00Z", entry.GetProperty("published").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("updated").ValueKind);
        Assert.Equal("cyber", entry.GetProperty("categories")[0].GetString());
        Assert.Equal("1234", entry.GetProperty("enclosures")[0].GetProperty("length").GetString());
        foreach (var name in new[] { "id", "title", "link", "summary", "content", "author" })
        {
            Assert.True(entry.TryGetProperty(name, out _), name);
        }
    }

    [Fact]
    public void Serialize_Failure_WritesOkFalseWithError()
    {
        var json = FeedCheckJson.Serialize(new FeedCheckResult("missing.xml", false, null, "not found: /x/missing.xml"));

        using var doc = JsonDocument.Parse(json);
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("not found: /x/missing.xml", doc.RootElement.GetProperty("error").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public void Render_ParsedFeed_ShowsFormatEncodingAndTitles()
    {
        var text = FeedCheckText.Render(new FeedCheckResult("feed.xml", true, Parse(FeedFixtures.Rss20), null));

        Assert.Contains("rss20", text, StringComparison.Ordinal);
        Assert.Contains("utf-8", text, StringComparison.Ordinal);
        Assert.Contains("bozo:     no", text, StringComparison.Ordinal);
        Assert.Contains("2026-11-24T07:30:00Z  Ransomware hits port operator", text, StringComparison.Ordinal);
    }
}
