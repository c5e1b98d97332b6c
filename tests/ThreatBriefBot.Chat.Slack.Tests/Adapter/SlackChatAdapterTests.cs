using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Chat.Slack.Fakes;
using ThreatBriefBot.Chat.Slack.Rendering;
using ThreatBriefBot.Chat.Slack.Tests.Hosting;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Chat.Slack.Tests.Adapter;

/// <summary>The outbound adapter against the loopback fake of Slack's Web API and incoming webhooks.</summary>
public sealed class SlackChatAdapterTests : IAsyncLifetime
{
    private FakeSlackServer _fake = null!;
    private ServiceProvider _services = null!;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeSlackServer.StartAsync(
            new FakeSlackOptions { PostMessageInterval = TimeSpan.FromMilliseconds(50), RetryAfterSeconds = 0 },
            TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _fake.DisposeAsync();
    }

    private IChatAdapter Adapter(IReadOnlyDictionary<string, string?>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(SlackSandbox.SlackSettings(_fake, more: more)).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddSlackChat(configuration, receiveCommands: false);
        _services = services.BuildServiceProvider(validateScopes: true);
        return _services.GetServices<IChatAdapter>().Single(a => a.Platform == ChatPlatform.Slack);
    }

    [Fact]
    public async Task PostDigestAsync_LargeDigest_SplitIntoValidMessagesThreadedUnderTheFirst()
    {
        var channel = _fake.AddChannel();

        await Adapter().PostDigestAsync(new ChatTarget(ChatPlatform.Slack, channel), TestDigests.Large(12, 5), TestContext.Current.CancellationToken);

        Assert.Empty(_fake.SchemaViolations);
        var messages = _fake.Messages(channel);
        Assert.True(messages.Count > 1, $"one message for 60 items: {messages.Count}");
        Assert.Null(messages[0].ThreadTs);
        Assert.All(messages.Skip(1), m => Assert.Equal(messages[0].Ts, m.ThreadTs));
        var items = messages.SelectMany(m => m.Body.GetProperty("blocks").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "section")
            .Select(b => b.GetProperty("text").GetProperty("text").GetString()!)
            .Where(t => t.StartsWith("*<https://news.example/", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(60, items.Count);
        Assert.Equal(60, items.Distinct(StringComparer.Ordinal).Count());
        Assert.All(messages, m => Assert.False(string.IsNullOrEmpty(m.Body.GetProperty("text").GetString())));
    }

    [Fact]
    public async Task RenderDigest_EveryPart_CarriesItsPartKeyAsMetadata()
    {
        var channel = _fake.AddChannel();
        var digest = TestDigests.Large(12, 5);

        await Adapter().PostDigestAsync(new ChatTarget(ChatPlatform.Slack, channel), digest, TestContext.Current.CancellationToken, digestKey: "dkey");

        Assert.Empty(_fake.SchemaViolations);
        var messages = _fake.Messages(channel);
        Assert.Equal(
            Enumerable.Range(0, messages.Count).Select(i => DigestKeys.PartKey("dkey", i)),
            messages.Select(m => m.Metadata!.Value.GetProperty("event_payload").GetProperty(SlackChatAdapter.PartKeyField).GetString()));
        Assert.All(messages, m => Assert.Equal(SlackChatAdapter.DigestPartEventType, m.Metadata!.Value.GetProperty("event_type").GetString()));
    }

    [Fact]
    public async Task PostDigestPartAsync_SlackPostedThenFailed_FoundOnTheRetryNotPostedTwice()
    {
        var channel = _fake.AddChannel();
        var target = new ChatTarget(ChatPlatform.Slack, channel);
        var adapter = Adapter();
        var parts = adapter.RenderDigest(target, TestDigests.Large(12, 5), "dkey");
        Assert.True(parts.Count > 1);
        var decidedAt = DateTimeOffset.UtcNow;
        DigestPartPost Part(int index, string? first, bool unknown) => new("dkey", index, parts.Count, parts[index], first, decidedAt, unknown);
        var ct = TestContext.Current.CancellationToken;

        // Part 0 is posted but Slack answers 500: the outcome is unknown, and the client does not repeat a post.
        _fake.FailNextWith(1, ServerFault.ServerErrorAfterDoing);
        await Assert.ThrowsAsync<ThreatBriefBot.Core.Http.OutcomeUnknownException>(() => adapter.PostDigestPartAsync(target, Part(0, null, unknown: false), ct));
        var first = await adapter.PostDigestPartAsync(target, Part(0, null, unknown: true), ct);

        // Part 1, in the thread, the same: found by conversations.replies.
        _fake.FailNextWith(1, ServerFault.NoAnswerAfterDoing);
        await Assert.ThrowsAsync<ThreatBriefBot.Core.Http.OutcomeUnknownException>(() => adapter.PostDigestPartAsync(target, Part(1, first, unknown: false), ct));
        var second = await adapter.PostDigestPartAsync(target, Part(1, first, unknown: true), ct);

        // Part 2 never reached Slack: the lookup finds nothing and posts it.
        var third = parts.Count > 2 ? await adapter.PostDigestPartAsync(target, Part(2, first, unknown: true), ct) : null;

        var messages = _fake.Messages(channel);
        Assert.Equal(Math.Min(parts.Count, 3), messages.Count);
        Assert.Equal(messages[0].Ts, first);
        Assert.Equal(messages[1].Ts, second);
        Assert.Equal(first, messages[1].ThreadTs);
        if (third is not null)
        {
            Assert.Equal(messages[2].Ts, third);
        }
    }

    [Fact]
    public async Task PostDigestAsync_ManyParts_PacedSoSlackNeverHasToRateLimit()
    {
        var channel = _fake.AddChannel();

        await Adapter().PostDigestAsync(new ChatTarget(ChatPlatform.Slack, channel), TestDigests.Large(20, 5), TestContext.Current.CancellationToken);

        Assert.True(_fake.Messages(channel).Count > 3, "needs more messages than the fake's burst");
        Assert.Equal(0, _fake.RateLimitedResponses);
    }

    [Fact]
    public async Task PostDigestAsync_RateLimitStorm_WaitsItOutAndPostsEveryMessageOnce()
    {
        var channel = _fake.AddChannel();
        var adapter = Adapter();
        _fake.FailNext(6, TimeSpan.Zero);

        await adapter.PostDigestAsync(new ChatTarget(ChatPlatform.Slack, channel), TestDigests.Large(12, 5), TestContext.Current.CancellationToken);

        Assert.Equal(6, _fake.RateLimitedResponses);
        var messages = _fake.Messages(channel);
        var expected = SlackMessageCount(TestDigests.Large(12, 5));
        Assert.Equal(expected, messages.Count);
        Assert.Equal(expected, messages.Select(m => m.Body.GetProperty("text").GetString()).Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task PostDigestAsync_RateLimitedOnceWithRetryAfter_WaitsThatLong()
    {
        var channel = _fake.AddChannel();
        var adapter = Adapter();
        _fake.FailNext(1, TimeSpan.FromSeconds(1));
        var started = TimeProvider.System.GetTimestamp();

        await adapter.PostDigestAsync(new ChatTarget(ChatPlatform.Slack, channel), TestDigests.Large(1, 1), TestContext.Current.CancellationToken);

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9), "posted again before Retry-After");
        Assert.Single(_fake.Messages(channel));
    }

    [Theory]
    [InlineData(ChannelState.Missing, "channel_not_found")]
    [InlineData(ChannelState.NotInChannel, "not_in_channel")]
    [InlineData(ChannelState.Archived, "is_archived")]
    public async Task PostDigestAsync_ChannelClosedToTheBot_ThrowsSoTheSubscriptionPauses(ChannelState state, string error)
    {
        var channel = _fake.AddChannel(state);

        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            Adapter().PostDigestAsync(new ChatTarget(ChatPlatform.Slack, channel), TestDigests.Large(1, 1), TestContext.Current.CancellationToken));

        Assert.Equal(ChatDeliveryFailure.TargetUnavailable, exception.Failure);
        Assert.Equal(error, exception.PlatformError);
        Assert.NotEqual(ChatDeliveryFailure.Rejected, exception.Failure);
        Assert.Single(_fake.Requests, r => r.Path.EndsWith("chat.postMessage", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(AuthState.InvalidAuth, "invalid_auth")]
    [InlineData(AuthState.AccountInactive, "account_inactive")]
    public async Task PostDigestAsync_TokenRefused_ThrowsNotAuthorizedWithoutRetrying(AuthState auth, string error)
    {
        var channel = _fake.AddChannel();
        _fake.SetAuthState(auth);

        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            Adapter().PostDigestAsync(new ChatTarget(ChatPlatform.Slack, channel), TestDigests.Large(1, 1), TestContext.Current.CancellationToken));

        Assert.Equal((ChatDeliveryFailure.NotAuthorized, error), (exception.Failure, exception.PlatformError));
        Assert.NotEqual(ChatDeliveryFailure.Rejected, exception.Failure);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task PostDigestAsync_WrongTokenKind_NotAuthorized()
    {
        var channel = _fake.AddChannel();

        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            Adapter(new Dictionary<string, string?> { ["Slack:BotToken"] = "xoxb-not-the-fakes" })
                .PostDigestAsync(new ChatTarget(ChatPlatform.Slack, channel), TestDigests.Large(1, 1), TestContext.Current.CancellationToken));

        Assert.Equal(ChatDeliveryFailure.NotAuthorized, exception.Failure);
    }

    [Fact]
    public async Task PostDigestAsync_EveryRequest_JsonWithCharsetAndBearerToken()
    {
        var channel = _fake.AddChannel();

        await Adapter().PostDigestAsync(new ChatTarget(ChatPlatform.Slack, channel), TestDigests.Large(1, 1), TestContext.Current.CancellationToken);

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal("Bearer " + FakeSlackServer.BotToken, request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.Body!);
        Assert.False(body.RootElement.GetProperty("unfurl_links").GetBoolean());
        Assert.False(body.RootElement.GetProperty("unfurl_media").GetBoolean());
    }

    [Fact]
    public async Task PostDigestAsync_HostileFeedTitle_ArrivesEscaped()
    {
        var channel = _fake.AddChannel();
        var digest = TestDigests.Of(
            "Digest",
            TestDigests.Section("cyberattacks", TestDigests.Item("evil", "<!channel> log in at <http://evil|bank> & win", link: "https://bank.example/")));

        await Adapter().PostDigestAsync(new ChatTarget(ChatPlatform.Slack, channel), digest, TestContext.Current.CancellationToken);

        var body = Assert.Single(_fake.Messages(channel)).Body.GetRawText();
        Assert.Contains("<https://bank.example/|&lt;!channel&gt; log in at &lt;http://evil¦bank&gt; &amp; win>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<http://evil", body, StringComparison.Ordinal);
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task PostDigestAsync_WebhookTarget_PostedToTheIncomingWebhookInParts()
    {
        var channel = _fake.AddChannel();
        var webhook = _fake.AddIncomingWebhook(channel);
        var adapter = Adapter(new Dictionary<string, string?> { ["Slack:Webhooks:ops"] = webhook.ToString() });

        await adapter.PostDigestAsync(new ChatTarget(ChatPlatform.Slack, "webhook:ops"), TestDigests.Large(12, 5), TestContext.Current.CancellationToken);

        var posted = _fake.WebhookMessages(webhook);
        Assert.Equal(SlackMessageCount(TestDigests.Large(12, 5)), posted.Count);
        Assert.All(posted, m => Assert.False(m.Body.TryGetProperty("channel", out _)));
        Assert.Empty(_fake.SchemaViolations);
        Assert.DoesNotContain(_fake.Requests, r => r.Path.Contains("chat.postMessage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostDigestAsync_WebhookOfArchivedChannel_ThrowsSoTheSubscriptionPauses()
    {
        var channel = _fake.AddChannel(ChannelState.Archived);
        var webhook = _fake.AddIncomingWebhook(channel);
        var adapter = Adapter(new Dictionary<string, string?> { ["Slack:Webhooks:ops"] = webhook.ToString() });

        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            adapter.PostDigestAsync(new ChatTarget(ChatPlatform.Slack, "webhook:ops"), TestDigests.Large(1, 1), TestContext.Current.CancellationToken));

        Assert.Equal((ChatDeliveryFailure.TargetUnavailable, "channel_is_archived"), (exception.Failure, exception.PlatformError));
    }

    [Fact]
    public async Task PostDigestAsync_WebhookNotConfigured_ThrowsNamingTheSetting()
    {
        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            Adapter().PostDigestAsync(new ChatTarget(ChatPlatform.Slack, "webhook:nowhere"), TestDigests.Large(1, 1), TestContext.Current.CancellationToken));

        Assert.NotEqual(ChatDeliveryFailure.Rejected, exception.Failure);
        Assert.Contains("Slack:Webhooks:nowhere", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostReplyAsync_OpsAlert_PostedAsPlainText()
    {
        var channel = _fake.AddChannel();

        await Adapter().PostReplyAsync(new ChatTarget(ChatPlatform.Slack, channel), new ChatReply("Subscription 'x' is paused: <!here>"), TestContext.Current.CancellationToken);

        var body = Assert.Single(_fake.Messages(channel)).Body;
        Assert.Equal("Subscription 'x' is paused: &lt;!here&gt;", body.GetProperty("text").GetString());
        Assert.False(body.TryGetProperty("blocks", out _));
    }

    private static int SlackMessageCount(Digest digest) => SlackMessageRenderer.RenderDigest(digest).Count;
}
