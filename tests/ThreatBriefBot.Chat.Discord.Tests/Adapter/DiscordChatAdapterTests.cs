using ThreatBriefBot.Chat.Discord.Fakes;
using ThreatBriefBot.Chat.Discord.Rendering;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Chat.Discord.Tests.Adapter;

/// <summary>Posting digests and replies through the fake's REST API, as Discord would receive them.</summary>
public sealed class DiscordChatAdapterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ChatTarget Channel(string id) => new(ChatPlatform.Discord, id);

    [Fact]
    public async Task PostDigestAsync_LargeDigest_SplitOverMessagesEveryBodyValid()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var channel = harness.Fake.AddChannel();
        var digest = TestDigests.Large(topics: 14, perTopic: 20);

        await harness.Adapter.PostDigestAsync(Channel(channel), digest, Token);

        var posted = harness.Fake.Messages(channel);
        Assert.Empty(harness.Fake.SchemaViolations);
        Assert.Equal(DiscordMessageRenderer.RenderDigest(digest).Count, posted.Count);
        Assert.True(posted.Count > 2);
        Assert.Equal(
            Enumerable.Range(1, posted.Count).Select(i => $"Digest sub-test ({i}/{posted.Count})"),
            posted.Select(m => m.Body.GetProperty("content").GetString()));
        Assert.All(posted, m => Assert.Equal(0, m.Body.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength()));
        Assert.Equal(posted.Count, posted.Select(m => m.Nonce).Distinct(StringComparer.Ordinal).Count());
        var lines = posted.SelectMany(m => m.Body.GetProperty("embeds").EnumerateArray()).SelectMany(e => e.GetProperty("description").GetString()!.Split('\n'));
        Assert.Equal(digest.ItemIds.Count, lines.Count());
    }

    [Fact]
    public async Task PostDigestAsync_SameDigestTwice_PostedOnceThanksToTheNonce()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var channel = harness.Fake.AddChannel();
        var digest = TestDigests.Of(("trade", [TestDigests.Item("b", "Tariffs rise")], 0));

        await harness.Adapter.PostDigestAsync(Channel(channel), digest, Token);
        await harness.Adapter.PostDigestAsync(Channel(channel), digest, Token);

        Assert.Single(harness.Fake.Messages(channel));
        Assert.Equal(2, harness.Fake.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith($"channels/{channel}/messages", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PostDigestPartAsync_PartSentAgainAfterAnUnknownOutcome_DiscordReturnsTheMessageAlreadyPosted()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var channel = harness.Fake.AddChannel();
        var target = Channel(channel);
        var parts = harness.Adapter.RenderDigest(target, TestDigests.Of(("trade", [TestDigests.Item("b", "Tariffs rise")], 0)), "dkey");
        var part = new DigestPartPost("dkey", 0, parts.Count, parts[0], null, DateTimeOffset.UtcNow, MayAlreadyBePosted: false);

        var first = await harness.Adapter.PostDigestPartAsync(target, part, Token);
        var again = await harness.Adapter.PostDigestPartAsync(target, part with { MayAlreadyBePosted = true }, Token);

        var posted = Assert.Single(harness.Fake.Messages(channel));
        Assert.Equal(posted.Id, first);
        Assert.Equal(first, again);
        Assert.Equal(DiscordMessageRenderer.NonceFor(DigestKeys.PartKey("dkey", 0)), posted.Nonce);
    }

    [Fact]
    public async Task PostDigestAsync_FeedTitleWithEveryoneAndFakeLink_HarmlessOnTheWire()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var channel = harness.Fake.AddChannel();
        var digest = TestDigests.Of(("cyberattacks", [TestDigests.Item("evil", "@everyone [fake](http://evil) <@&1> # breaking")], 0));

        await harness.Adapter.PostDigestAsync(Channel(channel), digest, Token);

        var body = Assert.Single(harness.Fake.Messages(channel)).Body;
        var description = body.GetProperty("embeds")[0].GetProperty("description").GetString()!;
        Assert.Equal("""{"parse":[]}""", body.GetProperty("allowed_mentions").GetRawText());
        Assert.StartsWith("[@\u200Beveryone \\[fake\\]\\(http://evil\\) \\<@\u200B&1\\> # breaking](<https://news.example/evil>)", description, StringComparison.Ordinal);
        Assert.Empty(harness.Fake.SchemaViolations);
    }

    [Fact]
    public async Task PostReplyAsync_BurstOf200ToOneChannel_NoneRateLimited()
    {
        await using var harness = await DiscordHarness.StartAsync(
            new FakeDiscordOptions { MessageBucketLimit = 50, MessageBucketWindow = TimeSpan.FromMilliseconds(250), GlobalLimitPerSecond = 1000 },
            settings: new Dictionary<string, string?> { ["Discord:GlobalRequestsPerSecond"] = "1000" });
        var channel = harness.Fake.AddChannel();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => harness.Adapter.PostReplyAsync(Channel(channel), new ChatReply($"message {i}"), Token)));

        Assert.Equal(0, harness.Fake.RateLimitedResponses);
        Assert.Equal(200, harness.Fake.Messages(channel).Select(m => m.Body.GetProperty("content").GetString()).Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(harness.Fake.SchemaViolations);
    }

    [Theory]
    [InlineData(RateLimitKind.Route)]
    [InlineData(RateLimitKind.Global)]
    [InlineData(RateLimitKind.Shared)]
    public async Task PostReplyAsync_429Storm_EveryMessagePostedExactlyOnce(RateLimitKind kind)
    {
        // Short windows: the fake reports a 429's bucket as spent until its window ends, and the client believes it.
        await using var harness = await DiscordHarness.StartAsync(new FakeDiscordOptions { MessageBucketLimit = 50, MessageBucketWindow = TimeSpan.FromMilliseconds(100) });
        var channel = harness.Fake.AddChannel();
        harness.Fake.FailNext(12, kind, TimeSpan.FromMilliseconds(20));

        foreach (var i in Enumerable.Range(0, 10))
        {
            await harness.Adapter.PostReplyAsync(Channel(channel), new ChatReply($"message {i}"), Token);
        }

        Assert.Equal(12, harness.Fake.RateLimitedResponses);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"message {i}"), harness.Fake.Messages(channel).Select(m => m.Body.GetProperty("content").GetString()));
        Assert.Equal(kind == RateLimitKind.Shared ? 0 : 12, harness.Fake.InvalidRequests);
    }

    [Fact]
    public async Task PostReplyAsync_CloudflareHtml429_WholeIpWaitsThenPostedOnce()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var first = harness.Fake.AddChannel();
        var second = harness.Fake.AddChannel();
        harness.Fake.FailNext(1, RateLimitKind.Cloudflare, TimeSpan.FromMilliseconds(200));

        await harness.Adapter.PostReplyAsync(Channel(first), new ChatReply("after the ban"), Token);
        await harness.Adapter.PostReplyAsync(Channel(second), new ChatReply("other channel"), Token);

        Assert.Single(harness.Fake.Messages(first));
        Assert.Single(harness.Fake.Messages(second));
        Assert.Equal(1, harness.Fake.RateLimitedResponses);
    }

    [Theory]
    [InlineData(ChannelState.Unknown, "10003")]
    [InlineData(ChannelState.MissingAccess, "50001")]
    [InlineData(ChannelState.MissingPermissions, "50013")]
    public async Task PostDigestAsync_ChannelGoneOrClosed_TargetUnavailableWithDiscordsCode(ChannelState state, string code)
    {
        await using var harness = await DiscordHarness.StartAsync();
        var channel = harness.Fake.AddChannel(state);

        var refused = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            harness.Adapter.PostDigestAsync(Channel(channel), TestDigests.Large(topics: 3, perTopic: 3), Token));

        Assert.Equal(ChatDeliveryFailure.TargetUnavailable, refused.Failure);
        Assert.Equal(code, refused.PlatformError);
        Assert.NotEqual(ChatDeliveryFailure.Rejected, refused.Failure);
        Assert.Single(harness.Fake.Requests, r => r.Path.Contains($"channels/{channel}/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostReplyAsync_TokenRejected_NotAuthorizedThenNoMoreRequests()
    {
        await using var harness = await DiscordHarness.StartAsync(settings: new Dictionary<string, string?> { ["Discord:BotToken"] = "not-the-token" });
        var channel = harness.Fake.AddChannel();

        var first = await Assert.ThrowsAsync<ChatDeliveryException>(() => harness.Adapter.PostReplyAsync(Channel(channel), new ChatReply("hello"), Token));
        var requests = harness.Fake.Requests.Count;
        var second = await Assert.ThrowsAsync<ChatDeliveryException>(() => harness.Adapter.PostReplyAsync(Channel(channel), new ChatReply("hello"), Token));

        Assert.Equal(ChatDeliveryFailure.NotAuthorized, first.Failure);
        Assert.Equal(ChatDeliveryFailure.NotAuthorized, second.Failure);
        Assert.Equal(requests, harness.Fake.Requests.Count);
    }

    [Fact]
    public async Task PostDigestAsync_WebhookTargetPastedAsDiscordUrl_PostedThroughTheWebhookOnV10()
    {
        var fake = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        var hook = fake.AddWebhook(fake.AddChannel());
        await using var harness = await DiscordHarness.StartAsync(
            settings: new Dictionary<string, string?> { ["Discord:Webhooks:ops"] = $"https://discord.com/api/webhooks/{hook.Id}/{hook.Token}" },
            fake: fake);
        var digest = TestDigests.Large(topics: 14, perTopic: 20);

        await harness.Adapter.PostDigestAsync(Channel("webhook:ops"), digest, Token);

        var posted = fake.WebhookMessages(hook.Id);
        Assert.Equal(DiscordMessageRenderer.RenderDigest(digest).Count, posted.Count);
        var requests = fake.Requests.Where(r => r.Path.Contains("webhooks", StringComparison.Ordinal)).ToList();
        Assert.Equal(posted.Count, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Contains($"/api/v10/webhooks/{hook.Id}/", r.Path, StringComparison.Ordinal);
            Assert.False(r.Headers.ContainsKey("Authorization"));
        });
        Assert.Empty(fake.SchemaViolations);
    }

    [Fact]
    public async Task PostDigestAsync_WebhookDeleted_TargetUnavailableAndNeverUsedAgain()
    {
        await using var harness = await DiscordHarness.StartAsync(
            settings: new Dictionary<string, string?> { ["Discord:Webhooks:gone"] = "https://discord.com/api/webhooks/123456789012345678/deleted-token" });
        var digest = TestDigests.Of(("trade", [TestDigests.Item("b", "Tariffs rise")], 0));

        var first = await Assert.ThrowsAsync<ChatDeliveryException>(() => harness.Adapter.PostDigestAsync(Channel("webhook:gone"), digest, Token));
        var requests = harness.Fake.Requests.Count;
        var second = await Assert.ThrowsAsync<ChatDeliveryException>(() => harness.Adapter.PostDigestAsync(Channel("webhook:gone"), digest, Token));

        Assert.Equal(ChatDeliveryFailure.TargetUnavailable, first.Failure);
        Assert.Equal("10015", first.PlatformError);
        Assert.Equal(ChatDeliveryFailure.TargetUnavailable, second.Failure);
        Assert.Equal(requests, harness.Fake.Requests.Count);
    }

    [Fact]
    public async Task PostReplyAsync_WebhookNotConfigured_TargetUnavailableNamingTheSetting()
    {
        await using var harness = await DiscordHarness.StartAsync();

        var refused = await Assert.ThrowsAsync<ChatDeliveryException>(() => harness.Adapter.PostReplyAsync(Channel("webhook:alerts"), new ChatReply("hi"), Token));

        Assert.Equal(ChatDeliveryFailure.TargetUnavailable, refused.Failure);
        Assert.Contains("Discord__Webhooks__alerts", refused.Message, StringComparison.Ordinal);
    }
}
