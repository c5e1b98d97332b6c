using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Chat.Discord.Fakes;
using ThreatBriefBot.Chat.Discord.Rest;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Chat.Discord.Tests.Rest;

/// <summary>
/// The REST client's retry pipeline against the fake's scripted outages, the client and the fake on one fake clock:
/// a message POST with a nonce is retried and posted once; one without, and a webhook execute, reach Discord once.
/// </summary>
public sealed class DiscordRetryPipelineTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static DiscordMessage Message(string text, string? nonce) =>
        new() { Content = text, AllowedMentions = AllowedMentions.None, Nonce = nonce, EnforceNonce = nonce is null ? null : true };

    private static async Task<(DiscordHarness Harness, FakeTimeProvider Time)> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider();
        var harness = await DiscordHarness.StartAsync(
            fakeOptions: new FakeDiscordOptions { TimeProvider = time },
            settings: new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
            {
                ["Discord:RequestTimeout"] = "00:00:10",
                ["Discord:RetryBackoff"] = "00:00:01",
            },
            configureServices: services => services.AddSingleton<TimeProvider>(time).AddSingleton(new RetryJitter(() => 0.5)));
        return (harness, time);
    }

    private static Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> work) => FakeClock.RunAsync(time, work, TimeSpan.FromSeconds(1));

    private static int Posts(DiscordHarness harness, string path) =>
        harness.Fake.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith(path, StringComparison.Ordinal));

    [Fact]
    public async Task CreateMessageAsync_WithNonceServerErrorAfterPosting_RetriedAndPostedOnce()
    {
        var (harness, time) = await StartAsync();
        await using var _ = harness;
        var channel = harness.Fake.AddChannel();
        harness.Fake.FailNextWith(1, ServerFault.ServerErrorAfterDoing);

        var response = await RunAsync(time, harness.Services.GetRequiredService<DiscordRestClient>().CreateMessageAsync(channel, Message("once", "digest-1-part-0"), Token));

        Assert.True(response.IsSuccess, response.Describe());
        Assert.Equal(2, Posts(harness, $"channels/{channel}/messages"));
        Assert.Single(harness.Fake.Messages(channel));
    }

    [Fact]
    public async Task CreateMessageAsync_WithNonceNoAnswer_RetriedAfterTheTimeoutAndPostedOnce()
    {
        var (harness, time) = await StartAsync();
        await using var _ = harness;
        var channel = harness.Fake.AddChannel();
        harness.Fake.FailNextWith(1, ServerFault.NoAnswerAfterDoing);

        var response = await RunAsync(time, harness.Services.GetRequiredService<DiscordRestClient>().CreateMessageAsync(channel, Message("once", "digest-1-part-0"), Token));

        Assert.True(response.IsSuccess, response.Describe());
        Assert.Equal(2, Posts(harness, $"channels/{channel}/messages"));
        Assert.Single(harness.Fake.Messages(channel));
    }

    [Fact]
    public async Task CreateMessageAsync_WithoutNonceServerError_OneRequestAndThe500Returned()
    {
        var (harness, time) = await StartAsync();
        await using var _ = harness;
        var channel = harness.Fake.AddChannel();
        harness.Fake.FailNextWith(1, ServerFault.ServerError);

        var response = await RunAsync(time, harness.Services.GetRequiredService<DiscordRestClient>().CreateMessageAsync(channel, Message("maybe", nonce: null), Token));

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal(1, Posts(harness, $"channels/{channel}/messages"));
    }

    [Fact]
    public async Task CreateMessageAsync_WithoutNonceNoAnswer_OneRequestAndOutcomeUnknown()
    {
        var (harness, time) = await StartAsync();
        await using var _ = harness;
        var channel = harness.Fake.AddChannel();
        harness.Fake.FailNextWith(1, ServerFault.NoAnswerAfterDoing);
        var started = time.GetUtcNow();

        await Assert.ThrowsAsync<OutcomeUnknownException>(() => RunAsync(time, harness.Services.GetRequiredService<DiscordRestClient>().CreateMessageAsync(channel, Message("maybe", nonce: null), Token)));

        Assert.InRange(time.GetUtcNow() - started, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12));
        Assert.Equal(1, Posts(harness, $"channels/{channel}/messages"));
        Assert.Single(harness.Fake.Messages(channel));
    }

    [Fact]
    public async Task ExecuteWebhookAsync_ServerErrorAfterPosting_NotRetried()
    {
        var (harness, time) = await StartAsync();
        await using var _ = harness;
        var hook = harness.Fake.AddWebhook(harness.Fake.AddChannel());
        harness.Fake.FailNextWith(1, ServerFault.ServerErrorAfterDoing);

        var response = await RunAsync(time, harness.Services.GetRequiredService<DiscordRestClient>().ExecuteWebhookAsync(hook.Id, hook.Token, Message("maybe", nonce: null), Token));

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal(1, Posts(harness, $"webhooks/{hook.Id}/{hook.Token}"));
        Assert.Single(harness.Fake.WebhookMessages(hook.Id));
    }

    [Fact]
    public async Task InteractionRequests_ServerError_NotRetried()
    {
        var (harness, time) = await StartAsync();
        await using var _ = harness;
        var rest = harness.Services.GetRequiredService<DiscordRestClient>();
        harness.Fake.FailNextWith(2, ServerFault.ServerError);

        var callback = await RunAsync(time, rest.CreateInteractionResponseAsync("200000000000000001", "token-1", new InteractionResponse(5), Token));
        var followUp = await RunAsync(time, rest.CreateFollowupMessageAsync(FakeDiscordServer.ApplicationId, "token-1", Message("later", nonce: null), Token));

        Assert.Equal((HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError), (callback.Status, followUp.Status));
        Assert.Equal(1, Posts(harness, "interactions/200000000000000001/token-1/callback"));
        Assert.Equal(1, Posts(harness, $"webhooks/{FakeDiscordServer.ApplicationId}/token-1"));
    }

    [Fact]
    public async Task GetGatewayBotAsync_ServerErrorEveryTime_RetriedMaxTransientRetriesTimes()
    {
        var (harness, time) = await StartAsync(new Dictionary<string, string?> { ["Discord:MaxTransientRetries"] = "2" });
        await using var _ = harness;
        harness.Fake.FailNextWith(5, ServerFault.ServerError);

        var exception = await Assert.ThrowsAsync<HttpRequestException>(() => RunAsync(time, harness.Services.GetRequiredService<DiscordRestClient>().GetGatewayBotAsync(Token)));

        Assert.Equal(HttpStatusCode.InternalServerError, exception.StatusCode);
        Assert.Equal(3, harness.Fake.Requests.Count(r => r.Path.EndsWith("gateway/bot", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CreateMessageAsync_RateLimited_WaitsRetryAfterOnTheClockAndPostsOnce()
    {
        var (harness, time) = await StartAsync();
        await using var _ = harness;
        var channel = harness.Fake.AddChannel();
        harness.Fake.FailNext(1, RateLimitKind.Route, TimeSpan.FromSeconds(30));
        var started = time.GetUtcNow();

        var response = await RunAsync(time, harness.Services.GetRequiredService<DiscordRestClient>().CreateMessageAsync(channel, Message("later", nonce: null), Token));

        Assert.True(response.IsSuccess, response.Describe());
        Assert.True(time.GetUtcNow() - started >= TimeSpan.FromSeconds(30), "sent again before Retry-After");
        Assert.Equal(2, Posts(harness, $"channels/{channel}/messages"));
        Assert.Single(harness.Fake.Messages(channel));
    }
}
