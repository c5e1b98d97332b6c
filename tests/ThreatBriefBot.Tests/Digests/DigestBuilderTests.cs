using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Tests.TestUtils;

namespace ThreatBriefBot.Tests.Digests;

public class DigestBuilderTests
{
    private static DigestRequest Request(int max = 5, string[]? countries = null, string? other = null) =>
        new("Test", TestItems.Noon.AddDays(-1), TestItems.Noon, ["cyberattacks", "climate", "trade"], countries ?? [], max, other);

    [Fact]
    public void Build_MultiLabelItem_AppearsInEachOfItsSections()
    {
        var item = TestItems.Stored("a", new Dictionary<string, double> { ["cyberattacks"] = 0.9, ["trade"] = 0.6, ["climate"] = 0.1 });

        var digest = DigestBuilder.Build(Request(), [item]);

        Assert.Equal(["cyberattacks", "trade"], digest.Sections.Select(s => s.Topic));
        Assert.Equal(["a"], digest.ItemIds);
    }

    [Fact]
    public void Build_MoreItemsThanTheLimit_ShowsTheBestAndCountsTheRest()
    {
        var items = Enumerable.Range(1, 7)
            .Select(i => TestItems.Stored($"i{i}", new Dictionary<string, double> { ["climate"] = 0.5 + (i / 100.0) }))
            .ToList();

        var section = Assert.Single(DigestBuilder.Build(Request(max: 3), items).Sections);

        Assert.Equal(["i7", "i6", "i5"], section.Items.Select(e => e.Item.Id));
        Assert.Equal(4, section.More);
    }

    [Fact]
    public void Build_EqualScores_NewestFirst()
    {
        var older = TestItems.Stored("old", new Dictionary<string, double> { ["trade"] = 0.8 }, published: TestItems.Noon.AddHours(-5));
        var newer = TestItems.Stored("new", new Dictionary<string, double> { ["trade"] = 0.8 }, published: TestItems.Noon.AddHours(-1));

        var section = Assert.Single(DigestBuilder.Build(Request(), [older, newer]).Sections);

        Assert.Equal(["new", "old"], section.Items.Select(e => e.Item.Id));
    }

    [Fact]
    public void Build_CountryFilter_KeepsOnlyItemsAboutThoseCountries()
    {
        var japan = TestItems.Stored("jp", new Dictionary<string, double> { ["cyberattacks"] = 0.9 }, ["JP", "US"]);
        var france = TestItems.Stored("fr", new Dictionary<string, double> { ["cyberattacks"] = 0.9 }, ["FR"]);

        var digest = DigestBuilder.Build(Request(countries: ["JP"]), [japan, france]);

        Assert.Equal(["jp"], digest.Sections.Single().Items.Select(e => e.Item.Id));
    }

    [Fact]
    public void Build_ItemWithoutTopic_LeftOutUnlessAnOtherSectionIsAsked()
    {
        var plain = TestItems.Stored("p", new Dictionary<string, double> { ["trade"] = 0.2 });

        Assert.True(DigestBuilder.Build(Request(), [plain]).IsEmpty);
        var withOther = DigestBuilder.Build(Request(other: "other"), [plain]);
        Assert.Equal("other", withOther.Sections.Single().Topic);
    }

    [Fact]
    public void Build_NoItems_IsEmpty()
    {
        var digest = DigestBuilder.Build(Request(), []);

        Assert.True(digest.IsEmpty);
        Assert.Empty(digest.ItemIds);
    }

    [Fact]
    public void Build_ItemsCountedAsMore_AreInItemIds()
    {
        var items = Enumerable.Range(1, 4).Select(i => TestItems.Stored($"i{i}", new Dictionary<string, double> { ["climate"] = 0.9 })).ToList();

        var digest = DigestBuilder.Build(Request(max: 1), items);

        Assert.Equal(4, digest.ItemIds.Count);
    }
}
