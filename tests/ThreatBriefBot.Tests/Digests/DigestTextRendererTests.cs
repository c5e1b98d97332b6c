using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Tests.TestUtils;

namespace ThreatBriefBot.Tests.Digests;

public class DigestTextRendererTests
{
    [Fact]
    public void Render_Digest_ShowsSectionTitleCountriesLinkEvidenceAndMore()
    {
        var items = Enumerable.Range(1, 3)
            .Select(i => TestItems.Stored($"i{i}", new Dictionary<string, double> { ["cyberattacks"] = 0.9 - (i / 10.0) }, ["JP", "CN"]))
            .ToList();
        var digest = DigestBuilder.Build(new DigestRequest("Morning", TestItems.Noon.AddDays(-1), TestItems.Noon, ["cyberattacks"], [], 2), items);

        var text = DigestTextRenderer.Render(digest);

        Assert.Contains("[cyberattacks] 3 items", text, StringComparison.Ordinal);
        Assert.Contains(" 1. Item i1", text, StringComparison.Ordinal);
        Assert.Contains("JP CN", text, StringComparison.Ordinal);
        Assert.Contains("https://news.example/i1", text, StringComparison.Ordinal);
        Assert.Contains("matched: cyberattacks-term", text, StringComparison.Ordinal);
        Assert.Contains("… and 1 more", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TitleWithTerminalEscapes_PrintsNoControlCharacters()
    {
        var item = TestItems.Stored("x", new Dictionary<string, double> { ["trade"] = 0.9 }, title: "Tariffs \u001b[2J\u001b]0;owned\u0007 rise\u202E");
        var digest = DigestBuilder.Build(new DigestRequest("T", TestItems.Noon, TestItems.Noon, ["trade"], [], 5), [item]);

        var text = DigestTextRenderer.Render(digest);

        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.DoesNotContain('\u202E', text);
    }
}
