using ThreatBriefBot.Feeds;

namespace ThreatBriefBot.Tests.Feeds;

public sealed class FeedsOptionsValidatorTests
{
    [Fact]
    public void Validate_GoodOptions_Succeeds()
    {
        var options = new FeedsOptions { Items = [new() { Name = "a", Source = "https://example.org/rss" }, new() { Name = "b", Source = "http://example.org/atom" }] };

        Assert.True(new FeedsOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEachWithItsKey()
    {
        var options = new FeedsOptions
        {
            Items =
            [
                new() { Name = "a", Source = "https://example.org/rss" },
                new() { Name = "A", Source = "ftp://example.org/rss" },
                new() { Name = "", Source = "/definitely/not/here/feed.xml" },
                new() { Name = "d", Source = " " },
            ],
        };

        var result = new FeedsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains("Feeds:Items:1:Name: duplicate feed name 'A'", failures);
        Assert.Contains(failures, f => f.StartsWith("Feeds:Items:1:Source: 'ftp'", StringComparison.Ordinal));
        Assert.Contains("Feeds:Items:2:Name: is required", failures);
        Assert.Contains("Feeds:Items:2:Source: file '/definitely/not/here/feed.xml' does not exist", failures);
        Assert.Contains("Feeds:Items:3:Source: is required", failures);
    }
}
