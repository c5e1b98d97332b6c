using System.Net;
using ThreatBriefBot.Chat.Slack.Fakes;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Chat.Slack.Tests.WebApi;

/// <summary>
/// The client's retry pipeline against the fake's scripted outages, on a fake clock: rate limits are waited out for
/// every method, reads are retried, and a post whose outcome is unknown reaches Slack exactly once.
/// </summary>
public sealed class SlackWebApiClientTests
{
    private static readonly Dictionary<string, string> Key = new(StringComparer.Ordinal) { ["key"] = "digest-1/part-0" };

    private static PostMessageRequest Message(string channel) => new(channel, "hello", null);

    [Theory]
    [InlineData(ServerFault.ServerError)]
    [InlineData(ServerFault.ServerErrorAfterDoing)]
    public async Task PostMessageAsync_ServerError_SentOnceAndOutcomeUnknown(ServerFault fault)
    {
        await using var rig = await SlackClientRig.StartAsync();
        var channel = rig.Fake.AddChannel();
        rig.Fake.FailNextWith(1, fault);

        await Assert.ThrowsAsync<OutcomeUnknownException>(() => rig.RunAsync(c => c.PostMessageAsync(Message(channel), TestContext.Current.CancellationToken)));

        Assert.Equal(1, rig.RequestsTo("chat.postMessage"));
        Assert.Equal(fault == ServerFault.ServerErrorAfterDoing ? 1 : 0, rig.Fake.Messages(channel).Count);
    }

    [Fact]
    public async Task PostMessageAsync_NoAnswer_TimesOutOnceAndOutcomeUnknown()
    {
        await using var rig = await SlackClientRig.StartAsync();
        var channel = rig.Fake.AddChannel();
        rig.Fake.FailNextWith(1, ServerFault.NoAnswerAfterDoing);
        var started = rig.Time.GetUtcNow();

        var exception = await Assert.ThrowsAsync<OutcomeUnknownException>(() => rig.RunAsync(c => c.PostMessageAsync(Message(channel), TestContext.Current.CancellationToken)));

        Assert.Contains("timed out", exception.Message, StringComparison.Ordinal);
        Assert.InRange(rig.Time.GetUtcNow() - started, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12));
        Assert.Equal(1, rig.RequestsTo("chat.postMessage"));
        Assert.Single(rig.Fake.Messages(channel));
    }

    [Fact]
    public async Task PostMessageAsync_RateLimitedTwice_WaitsEachRetryAfterAndPostsOnce()
    {
        await using var rig = await SlackClientRig.StartAsync();
        var channel = rig.Fake.AddChannel();
        rig.Fake.FailNext(2, TimeSpan.FromSeconds(30));
        var started = rig.Time.GetUtcNow();

        var ts = await rig.RunAsync(c => c.PostMessageAsync(Message(channel), TestContext.Current.CancellationToken));

        Assert.True(rig.Time.GetUtcNow() - started >= TimeSpan.FromSeconds(60), "posted again before Retry-After");
        Assert.Equal(3, rig.RequestsTo("chat.postMessage"));
        Assert.Equal(ts, Assert.Single(rig.Fake.Messages(channel)).Ts);
    }

    [Fact]
    public async Task PostMessageAsync_RateLimitedBeyondMaxRateLimitWaits_GivesUpWithA429()
    {
        await using var rig = await SlackClientRig.StartAsync(new Dictionary<string, string?> { ["Slack:MaxRateLimitWaits"] = "2" });
        var channel = rig.Fake.AddChannel();
        rig.Fake.FailNext(5, TimeSpan.FromSeconds(1));

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => rig.RunAsync(c => c.PostMessageAsync(Message(channel), TestContext.Current.CancellationToken)));

        Assert.IsNotType<OutcomeUnknownException>(exception);
        Assert.Equal(HttpStatusCode.TooManyRequests, exception.StatusCode);
        Assert.Equal(3, rig.RequestsTo("chat.postMessage"));
        Assert.Empty(rig.Fake.Messages(channel));
    }

    [Fact]
    public async Task ConversationHistoryAsync_ServerErrorsThenOk_RetriedUntilRead()
    {
        await using var rig = await SlackClientRig.StartAsync();
        var channel = rig.Fake.AddChannel();
        var ts = await rig.RunAsync(c => c.PostMessageAsync(Message(channel) with { Metadata = new("digest_part", Key) }, TestContext.Current.CancellationToken));
        rig.Fake.FailNextWith(2, ServerFault.ServerError);

        var found = await rig.RunAsync(c => c.ConversationHistoryAsync(channel, "0", TestContext.Current.CancellationToken));

        Assert.Equal(ts, Assert.Single(found.Messages).Ts);
        Assert.Equal(3, rig.RequestsTo("conversations.history"));
    }

    [Fact]
    public async Task ConversationRepliesAsync_NoAnswer_RetriedAfterTheAttemptTimeout()
    {
        await using var rig = await SlackClientRig.StartAsync();
        var channel = rig.Fake.AddChannel();
        var parent = await rig.RunAsync(c => c.PostMessageAsync(Message(channel), TestContext.Current.CancellationToken));
        rig.Fake.FailNextWith(1, ServerFault.NoAnswerAfterDoing);

        var found = await rig.RunAsync(c => c.ConversationRepliesAsync(channel, parent, "0", TestContext.Current.CancellationToken));

        Assert.Equal(parent, Assert.Single(found.Messages).Ts);
        Assert.Equal(2, rig.RequestsTo("conversations.replies"));
    }

    [Fact]
    public async Task UserGroupMembersAsync_ServerErrorEveryTime_GivesUpAfterMaxAttempts()
    {
        await using var rig = await SlackClientRig.StartAsync(new Dictionary<string, string?> { ["Slack:MaxAttempts"] = "3" });
        rig.Fake.AddUserGroup("S0ADMINS01", "U0ADMIN001");
        rig.Fake.FailNextWith(5, ServerFault.ServerError);

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => rig.RunAsync(c => c.UserGroupMembersAsync("S0ADMINS01", TestContext.Current.CancellationToken)));

        Assert.IsNotType<OutcomeUnknownException>(exception);
        Assert.Equal(3, rig.RequestsTo("usergroups.users.list"));
    }

    [Fact]
    public async Task ConversationHistoryAsync_NotInChannel_RefusedAtOnce()
    {
        await using var rig = await SlackClientRig.StartAsync();
        var channel = rig.Fake.AddChannel(ChannelState.NotInChannel);

        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() => rig.RunAsync(c => c.ConversationHistoryAsync(channel, "0", TestContext.Current.CancellationToken)));

        Assert.Equal((ChatDeliveryFailure.TargetUnavailable, "not_in_channel"), (exception.Failure, exception.PlatformError));
        Assert.Equal(1, rig.RequestsTo("conversations.history"));
    }
}
