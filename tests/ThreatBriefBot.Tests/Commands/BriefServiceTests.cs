using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Core.Commands;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Tests.TestUtils;

namespace ThreatBriefBot.Tests.Commands;

public class BriefServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryItemStore _store = new();
    private readonly WordClassifier _classifier = new();
    private readonly BriefService _briefs;

    public BriefServiceTests()
    {
        var gazetteer = new SmallGazetteer();
        _briefs = new BriefService(_store, new BriefQueryResolver(_classifier, gazetteer), _classifier, gazetteer, Options.Create(new DigestOptions()), _time);
    }

    private async Task AddAsync(string title, string summary, DateTimeOffset seenAt)
    {
        var item = new IncomingItem("Wire", title, title, $"https://news.example/{Uri.EscapeDataString(title)}", summary, seenAt);
        await _store.AddAsync(item, _classifier.Classify(title, summary), seenAt, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task BriefAsync_Country_ReturnsItemsAboutItGroupedByTopic()
    {
        await AddAsync("Hackers hit Tokyo banks", "A hack of Tokyo lenders.", _time.GetUtcNow().AddHours(-2));
        await AddAsync("Hackers hit Paris banks", "A hack of French lenders.", _time.GetUtcNow().AddHours(-2));

        var result = await _briefs.BriefAsync("japan", new BriefSettings(), TestContext.Current.CancellationToken);

        Assert.Null(result.Error);
        var section = Assert.Single(result.Digest.Sections);
        Assert.Equal("cyberattacks", section.Topic);
        Assert.Equal("Hackers hit Tokyo banks", Assert.Single(section.Items).Item.Title);
        Assert.Equal("Brief: Japan", result.Digest.Title);
    }

    [Fact]
    public async Task BriefAsync_OlderThanTheWindow_LeftOut()
    {
        await AddAsync("Tokyo hack, last month", "hack", _time.GetUtcNow().AddDays(-30));

        var result = await _briefs.BriefAsync("japan", new BriefSettings(Window: TimeSpan.FromDays(7)), TestContext.Current.CancellationToken);

        Assert.True(result.Digest.IsEmpty);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task BriefAsync_FreeTextFound_ShownUnderItsTopicOrOther()
    {
        await AddAsync("Port strike ends", "Dockers return in Tokyo.", _time.GetUtcNow().AddHours(-1));

        var result = await _briefs.BriefAsync("port strike", new BriefSettings(), TestContext.Current.CancellationToken);

        Assert.Equal(BriefService.OtherSection, Assert.Single(result.Digest.Sections).Topic);
        Assert.Equal("port strike", result.Query.Text);
    }

    [Fact]
    public async Task BriefAsync_NothingKnownAndNothingFound_ErrorWithSuggestions()
    {
        var result = await _briefs.BriefAsync("japn", new BriefSettings(), TestContext.Current.CancellationToken);

        Assert.NotNull(result.Error);
        Assert.Contains("Japan", result.Suggestions);
    }

    [Fact]
    public async Task BriefAsync_TopicOverride_OnlyThatSection()
    {
        await AddAsync("Tokyo hack and tariff row", "hack tariff", _time.GetUtcNow().AddHours(-1));

        var result = await _briefs.BriefAsync("japan", new BriefSettings(Topics: ["trade"]), TestContext.Current.CancellationToken);

        Assert.Equal(["trade"], result.Digest.Sections.Select(s => s.Topic));
        Assert.Equal(["trade"], result.Query.Topics);
    }

    [Fact]
    public async Task BriefAsync_LimitGiven_CapsEachSection()
    {
        for (var i = 0; i < 4; i++)
        {
            await AddAsync($"Tokyo hack {i}", "hack", _time.GetUtcNow().AddMinutes(-i - 1));
        }

        var result = await _briefs.BriefAsync("tokyo", new BriefSettings(Limit: 2), TestContext.Current.CancellationToken);

        var section = Assert.Single(result.Digest.Sections);
        Assert.Equal(2, section.Items.Count);
        Assert.Equal(2, section.More);
    }
}
