using System.Text.Json.Nodes;

namespace ThreatBriefBot.IntegrationTests.Host;

/// <summary>
/// A topic is data: an operator adds one to the topics file and to a subscription, with no code, and the whole
/// product knows it — classify, poll, brief, the chat commands and the scheduled digest's validation.
/// </summary>
public sealed class NewTopicTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public NewTopicTests()
    {
        var topics = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seeds", "topics.json")))!.AsObject();
        topics["topics"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "elections",
            ["description"] = "Elections: votes, ballots, campaigns and their results.",
            ["threshold"] = 0.5,
            ["aliases"] = new JsonArray("vote", "polls"),
            ["terms"] = new JsonArray(new JsonObject
            {
                ["weight"] = 2.5,
                ["phrases"] = new JsonArray("election*", "ballot*", "polling station*", "voter turnout", "runoff vote"),
            }),
        });
        _sandbox.WriteFile("topics.json", topics.ToJsonString());
        _sandbox.WriteFile("vote.xml", """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>Vote Watch</title><link>https://vote.example/</link>
            <item><guid>v1</guid><title>Kenya prepares ballots for presidential election</title><link>https://vote.example/kenya</link>
            <description>Election officials in Nairobi began printing ballots as voter turnout is expected to be high.</description></item>
            </channel></rss>
            """);
        _sandbox.Configure(json =>
        {
            json["Classification"]!["TopicsFile"] = Path.Combine(_sandbox.Root, "topics.json");
            json["Feeds"]!["Items"] = new JsonArray(new JsonObject { ["Name"] = "Vote Watch", ["Source"] = Path.Combine(_sandbox.Root, "vote.xml") });
            json["Digests"]!["Subscriptions"] = ElectionsDesk();
        });
    }

    public void Dispose() => _sandbox.Dispose();

    /// <summary>A configured subscription to the new topic.</summary>
    private static JsonArray ElectionsDesk() => new(new JsonObject
    {
        ["Name"] = "elections-desk",
        ["Platform"] = "Console",
        ["Channel"] = "stdout",
        ["Topics"] = new JsonArray("elections"),
        ["Cron"] = "0 0 7 * * ?",
        ["TimeZone"] = "UTC",
    });

    [Fact]
    public async Task NewTopicInTheRulesFile_ClassifiedPolledBriefedAndSubscribable()
    {
        _sandbox.WriteFile("item.jsonl", """{"id":"e1","title":"Runoff vote set as no candidate wins a majority","text":"Electoral officials said ballots would be recounted."}""");

        var classify = await _sandbox.RunAsync("classify", "--input", Path.Combine(_sandbox.Root, "item.jsonl"), "--format", "json");
        var poll = await _sandbox.RunAsync("poll");
        var brief = await _sandbox.RunAsync("brief", "elections", "--format", "json");
        var briefBySynonym = await _sandbox.RunAsync("brief", "polls", "kenya", "--format", "json");
        var topics = await _sandbox.RunAsync("chat", "topics");
        var subscribe = await _sandbox.RunAsync("chat", "subscribe", "elections", "kenya");

        Assert.Equal(0, classify.ExitCode);
        var line = JsonNode.Parse(classify.Out)!;
        Assert.Contains("elections", line["topics"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.NotEmpty(line["evidence"]!["elections"]!.AsArray());
        Assert.Contains("Vote Watch: 1 new", poll.Out, StringComparison.Ordinal);
        var section = Assert.Single(JsonNode.Parse(brief.Out)!["sections"]!.AsArray());
        Assert.Equal("elections", section!["topic"]!.GetValue<string>());
        Assert.Equal(["elections"], JsonNode.Parse(briefBySynonym.Out)!["resolved"]!["topics"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains("elections", topics.Out, StringComparison.Ordinal);
        Assert.Equal(0, subscribe.ExitCode);
        Assert.Contains("Subscribed this channel: elections about Kenya", subscribe.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscriptionToATopicNoRulesFileDefines_RefusedAtStartUp()
    {
        _sandbox.Configure(json =>
        {
            json["Classification"]!["TopicsFile"] = Path.Combine(AppContext.BaseDirectory, "seeds", "topics.json");
            json["Digests"]!["Subscriptions"] = ElectionsDesk();
        });

        var run = await _sandbox.RunAsync("poll");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Digests:Subscriptions:0:Topics: unknown topic 'elections'", run.Error, StringComparison.Ordinal);
    }
}
