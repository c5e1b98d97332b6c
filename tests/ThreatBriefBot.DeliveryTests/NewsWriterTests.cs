using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.DeliveryTests.Harness;

namespace ThreatBriefBot.DeliveryTests;

/// <summary>The delivery tests' premise: each made-up item is about exactly the one topic it was written for.</summary>
public sealed class NewsWriterTests
{
    [Fact]
    public void Write_EveryTopicShortAndLong_ShippedRulesFindExactlyThatTopic()
    {
        var seeds = Path.Combine(AppContext.BaseDirectory, "seeds");
        using var topics = File.OpenRead(Path.Combine(seeds, "topics.json"));
        using var countries = File.OpenRead(Path.Combine(seeds, "countries.json"));
        var classifier = new KeywordItemClassifier(ClassificationRules.Parse(topics, countries));
        var writer = new NewsWriter("run1", "feed", new Random(12));

        var wrong = new List<string>();
        for (var i = 1; i <= 600; i++)
        {
            var topic = NewsWriter.Topics[i % NewsWriter.Topics.Count];
            var item = writer.Write(i, topic, lengthy: i % 2 == 0, DateTimeOffset.UnixEpoch);
            var found = classifier.Classify(item.Title, item.Summary).Topics.Select(t => t.Topic).ToList();
            if (found is not [var only] || only != topic)
            {
                wrong.Add($"{topic}: [{string.Join(", ", found)}] {item.Title} / {item.Summary}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(10)));
    }

    [Fact]
    public void Write_LongItems_LongEnoughToSplitADigest()
    {
        var item = new NewsWriter("run1", "feed", new Random(3)).Write(1, NewsWriter.Trade, lengthy: true, DateTimeOffset.UnixEpoch);

        Assert.InRange(item.Title.Length, 190, 230);
        Assert.InRange(item.Summary.Length, 270, 320);
        Assert.Equal("https://news.example/run1/feed/1", item.Link);
    }
}
