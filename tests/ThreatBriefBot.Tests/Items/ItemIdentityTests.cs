using ThreatBriefBot.Core.Items;

namespace ThreatBriefBot.Tests.Items;

public class ItemIdentityTests
{
    [Fact]
    public void EntryKey_GuidPresent_UsesGuid() =>
        Assert.Equal("guid:abc", ItemIdentity.EntryKey(" abc ", "https://x.example/1", "t", "s"));

    [Fact]
    public void EntryKey_NoGuid_UsesTheCanonicalLink() =>
        Assert.Equal("link:x.example/1", ItemIdentity.EntryKey(null, "https://x.example/1", "t", "s"));

    [Theory]
    [InlineData("http://www.x.example/a/?utm_source=rss")]
    [InlineData("https://X.example/a#comments")]
    [InlineData(" https://x.example/a?fbclid=123 ")]
    public void EntryKey_NoGuidLinkVariants_OneEntry(string link) =>
        Assert.Equal(ItemIdentity.EntryKey(null, "https://x.example/a", "t", "s"), ItemIdentity.EntryKey(null, link, "t", "s"));

    [Fact]
    public void EntryKey_TitleAndSummaryRewritten_SameKeyUnderGuidOrLink()
    {
        Assert.Equal(ItemIdentity.EntryKey("g1", null, "Old title", "old"), ItemIdentity.EntryKey("g1", null, "New title (updated)", "new"));
        Assert.Equal(
            ItemIdentity.EntryKey(null, "https://x.example/a", "Old title", "old"),
            ItemIdentity.EntryKey(null, "https://x.example/a", "New title (updated)", "new"));
    }

    [Fact]
    public void EntryKey_LinkNotHttp_FallsBackToTheContentHash() =>
        Assert.Equal(ItemIdentity.EntryKey(null, null, "t", "s"), ItemIdentity.EntryKey(null, "javascript:alert(1)", "t", "s"));

    [Fact]
    public void EntryKey_NeitherGuidNorLink_HashesTheNormalisedContent()
    {
        var a = ItemIdentity.EntryKey(null, null, "Tariffs rise!", "Exports  fall.");
        var b = ItemIdentity.EntryKey("", " ", "tariffs RISE", "exports fall");

        Assert.StartsWith("hash:", a, StringComparison.Ordinal);
        Assert.Equal(a, b);
        Assert.NotEqual(a, ItemIdentity.EntryKey(null, null, "Tariffs fall", "Exports rise"));
    }

    [Theory]
    [InlineData("https://www.News.example/a/b/?utm_source=x&id=2#frag", "news.example/a/b?id=2")]
    [InlineData("http://news.example/a/b", "news.example/a/b")]
    [InlineData("https://news.example:8443/a", "news.example:8443/a")]
    public void NormaliseLink_TrackingSchemeAndCase_Ignored(string link, string expected) =>
        Assert.Equal(expected, ItemIdentity.NormaliseLink(link));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative/path")]
    [InlineData("")]
    public void NormaliseLink_NotAbsoluteHttp_Null(string link) => Assert.Null(ItemIdentity.NormaliseLink(link));

    [Fact]
    public void StoryKey_SameArticleFromTwoFeeds_SameStoryId()
    {
        var fromWire = ItemIdentity.StoryKey("https://news.example/kerry-tokyo?utm_campaign=rss", "Kerry in Tokyo");
        var fromBriefing = ItemIdentity.StoryKey("http://www.news.example/kerry-tokyo/", "Kerry: cyber defence matters");

        Assert.Equal(ItemIdentity.StoryId(fromWire), ItemIdentity.StoryId(fromBriefing));
        Assert.Equal(16, ItemIdentity.StoryId(fromWire).Length);
    }

    [Fact]
    public void StoryKey_NoLink_FallsBackToTheTitle() =>
        Assert.Equal(ItemIdentity.StoryKey(null, "Ports  reopen!"), ItemIdentity.StoryKey(null, "ports reopen"));
}
