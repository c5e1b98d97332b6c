using ThreatBriefBot.Chat.Slack.WebApi;

namespace ThreatBriefBot.Chat.Slack.Tests.WebApi;

/// <summary>Finding a posted message again by its metadata, as the outbox does after a post whose outcome is unknown.</summary>
public sealed class SlackLookupTests
{
    private static PostMessageRequest Part(string channel, string key, string? threadTs = null) =>
        new(channel, $"part {key}", null, threadTs, Metadata: new SlackMessageMetadata("digest_part", new Dictionary<string, string>(StringComparer.Ordinal) { ["key"] = key }));

    private static Task<string> PostAsync(SlackClientRig rig, PostMessageRequest message) =>
        rig.RunAsync(c => c.PostMessageAsync(message, TestContext.Current.CancellationToken));

    [Fact]
    public async Task ConversationHistoryAsync_PostedParts_NewestFirstWithMetadataAndNoThreadReplies()
    {
        await using var rig = await SlackClientRig.StartAsync();
        var channel = rig.Fake.AddChannel();
        var first = await PostAsync(rig, Part(channel, "d1/0"));
        await PostAsync(rig, Part(channel, "d1/1", threadTs: first));
        var second = await PostAsync(rig, Part(channel, "d2/0"));

        var found = await rig.RunAsync(c => c.ConversationHistoryAsync(channel, "0", TestContext.Current.CancellationToken));

        Assert.False(found.Truncated);
        Assert.Equal([(second, null, "d2/0"), (first, first, "d1/0")], found.Messages.Select(m => (m.Ts, m.ThreadTs, m.Metadata?.EventPayload["key"])));
        Assert.All(found.Messages, m => Assert.Equal("digest_part", m.Metadata?.EventType));
    }

    [Fact]
    public async Task ConversationRepliesAsync_Thread_ParentThenRepliesAfterOldest()
    {
        await using var rig = await SlackClientRig.StartAsync();
        var channel = rig.Fake.AddChannel();
        var parent = await PostAsync(rig, Part(channel, "d1/0"));
        var early = await PostAsync(rig, Part(channel, "d1/1", threadTs: parent));
        var late = await PostAsync(rig, Part(channel, "d1/2", threadTs: parent));

        var found = await rig.RunAsync(c => c.ConversationRepliesAsync(channel, parent, early, TestContext.Current.CancellationToken));

        Assert.Equal([(parent, "d1/0"), (late, "d1/2")], found.Messages.Select(m => (m.Ts, m.Metadata?.EventPayload["key"])));
        Assert.Equal(parent, found.Messages[1].ThreadTs);
    }

    [Fact]
    public async Task ConversationHistoryAsync_Oldest_IsExclusive()
    {
        await using var rig = await SlackClientRig.StartAsync();
        var channel = rig.Fake.AddChannel();
        var first = await PostAsync(rig, Part(channel, "d1/0"));
        var second = await PostAsync(rig, Part(channel, "d1/1"));

        var found = await rig.RunAsync(c => c.ConversationHistoryAsync(channel, first, TestContext.Current.CancellationToken));

        Assert.Equal([second], found.Messages.Select(m => m.Ts));
    }

    [Theory]
    [InlineData(10, 5, false)]
    [InlineData(2, 4, true)]
    public async Task ConversationHistoryAsync_SeveralPages_ReadUpToMaxLookupPages(int maxPages, int read, bool truncated)
    {
        await using var rig = await SlackClientRig.StartAsync(new Dictionary<string, string?>
        {
            ["Slack:LookupPageSize"] = "2",
            ["Slack:MaxLookupPages"] = maxPages.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var channel = rig.Fake.AddChannel();
        for (var i = 0; i < 5; i++)
        {
            await PostAsync(rig, Part(channel, $"d1/{i}"));
        }

        var found = await rig.RunAsync(c => c.ConversationHistoryAsync(channel, "0", TestContext.Current.CancellationToken));

        Assert.Equal(read, found.Messages.Count);
        Assert.Equal(truncated, found.Truncated);
        Assert.Equal(Math.Min(maxPages, 3), rig.RequestsTo("conversations.history"));
    }

    [Fact]
    public void FromJson_AnotherAppsMetadata_NonStringValuesKeptAsJson()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"event_type":"task_created","event_payload":{"id":"T1","count":3,"tags":["a"]}}""");

        var metadata = SlackMessageMetadata.FromJson(document.RootElement);

        Assert.Equal("task_created", metadata!.EventType);
        Assert.Equal(["T1", "3", """["a"]"""], [metadata.EventPayload["id"], metadata.EventPayload["count"], metadata.EventPayload["tags"]]);
    }
}
