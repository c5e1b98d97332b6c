using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Feeds;
using static ThreatBriefBot.Tests.Feeds.FeedFixtures;

namespace ThreatBriefBot.Tests.Feeds;

public sealed class FeedItemMapperTests
{
    private static ParsedFeed Feed(params ParsedEntry[] entries) => new("rss20", "utf-8", false, null, "t", null, null, null, entries);

    private static ParsedEntry Entry(string? id = null, string? title = "Title", string? link = null, string? summary = null, string? content = null,
        DateTimeOffset? published = null, DateTimeOffset? updated = null) =>
        new(id, title, link, published, updated, summary, content, null, [], []);

    [Fact]
    public void ToIncomingItems_HtmlSummary_BecomesPlainText()
    {
        var items = FeedItemMapper.ToIncomingItems("wire", Feed(Entry(summary: "<p>One &amp; two</p><script>x()</script><p>three\n\n  four</p>")));

        Assert.Equal("One & two three four", items[0].Summary);
        Assert.Equal("wire", items[0].FeedName);
    }

    [Fact]
    public void ToIncomingItems_NoSummary_FallsBackToContent()
    {
        var items = FeedItemMapper.ToIncomingItems("wire", Feed(Entry(content: "<div>Body text</div>")));

        Assert.Equal("Body text", items[0].Summary);
    }

    [Fact]
    public void ToIncomingItems_LongSummary_IsCutAtWordBoundaryWithEllipsis()
    {
        var words = string.Join(' ', Enumerable.Repeat("word", 300));

        var summary = FeedItemMapper.ToIncomingItems("wire", Feed(Entry(summary: words)))[0].Summary;

        Assert.True(summary.Length <= 601);
        Assert.EndsWith("word…", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("guid-1", "guid:")]
    [InlineData(null, "link:")]
    public void ToIncomingItems_EntryKey_PrefersGuidThenLink(string? id, string expectedKind)
    {
        var item = FeedItemMapper.ToIncomingItems("wire", Feed(Entry(id: id, link: "https://example.org/1")))[0];

        Assert.StartsWith(expectedKind, item.EntryKey, StringComparison.Ordinal);
        Assert.Equal(ItemIdentity.EntryKey(id, "https://example.org/1", "Title", ""), item.EntryKey);
    }

    [Fact]
    public void ToIncomingItems_NoGuidNoLink_KeysByContentHash()
    {
        var item = FeedItemMapper.ToIncomingItems("wire", Feed(Entry(summary: "text")))[0];

        Assert.Equal(ItemIdentity.EntryKey(null, null, "Title", "text"), item.EntryKey);
        Assert.StartsWith("hash:", item.EntryKey, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.org/file")]
    public void ToIncomingItems_UnsafeOrRelativeLink_IsDropped(string link)
    {
        var item = FeedItemMapper.ToIncomingItems("wire", Feed(Entry(link: link)))[0];

        Assert.Null(item.Link);
        Assert.StartsWith("hash:", item.EntryKey, StringComparison.Ordinal);
    }

    [Fact]
    public void ToIncomingItems_EmptyEntry_IsSkipped()
    {
        var items = FeedItemMapper.ToIncomingItems("wire", Feed(Entry(title: null), Entry(title: "  ")));

        Assert.Empty(items);
    }

    [Fact]
    public void ToIncomingItems_NoTitle_TakesFirstWordsOfSummary()
    {
        var item = FeedItemMapper.ToIncomingItems("wire", Feed(Entry(title: null, summary: "Port operator hit by ransomware on Monday")))[0];

        Assert.Equal("Port operator hit by ransomware on Monday", item.Title);
    }

    [Fact]
    public void ToIncomingItems_PublishedMissing_UsesUpdated()
    {
        var updated = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

        var item = FeedItemMapper.ToIncomingItems("wire", Feed(Entry(updated: updated)))[0];

        Assert.Equal(updated, item.Published);
    }

    [Fact]
    public void ToIncomingItems_SameDocumentParsedTwice_GivesSameKeys()
    {
        var first = FeedItemMapper.ToIncomingItems("wire", Parse(FeedFixtures.Rss20));
        var second = FeedItemMapper.ToIncomingItems("wire", Parse(FeedFixtures.Rss20));

        Assert.Equal(first.Select(i => i.EntryKey), second.Select(i => i.EntryKey));
        Assert.Equal(first.Select(i => i.StoryKey), second.Select(i => i.StoryKey));
        Assert.Equal("Ransomware hits port operator", first[0].Title);
        Assert.Equal("Systems were down.", first[0].Summary);
    }
}
