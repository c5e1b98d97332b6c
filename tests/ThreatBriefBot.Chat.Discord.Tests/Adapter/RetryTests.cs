using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Chat.Discord.Rest;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Chat.Discord.Tests.Adapter;

/// <summary>
/// Transient trouble between the adapter and the fake, injected by a handler in front of the real HTTP stack:
/// only requests Discord refused or never answered are retried, and a message POST only with its nonce.
/// </summary>
public sealed class RetryTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Task<DiscordHarness> StartAsync(Fault fault) => DiscordHarness.StartAsync(
        settings: new Dictionary<string, string?> { ["Discord:RequestTimeout"] = "00:00:00.500" },
        configureServices: services => services.AddHttpClient<DiscordRestClient>().AddHttpMessageHandler(() => new FirstMessageFault(fault)));

    [Fact]
    public async Task PostReplyAsync_ResponseLostAfterDiscordPosted_RetriedWithTheSameNonceAndPostedOnce()
    {
        await using var harness = await StartAsync(Fault.LoseResponse);
        var channel = harness.Fake.AddChannel();

        await harness.Adapter.PostReplyAsync(new ChatTarget(ChatPlatform.Discord, channel), new ChatReply("posted once"), Token);

        var posts = harness.Fake.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith($"channels/{channel}/messages", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Body, posts[1].Body);
        Assert.Single(harness.Fake.Messages(channel));
    }

    [Fact]
    public async Task PostReplyAsync_BadGateway_RetriedAndPostedOnce()
    {
        await using var harness = await StartAsync(Fault.BadGateway);
        var channel = harness.Fake.AddChannel();

        await harness.Adapter.PostReplyAsync(new ChatTarget(ChatPlatform.Discord, channel), new ChatReply("after a 502"), Token);

        Assert.Single(harness.Fake.Messages(channel));
    }

    [Fact]
    public async Task PostReplyAsync_WebhookResponseLost_NotRetriedWithoutANonce()
    {
        var fake = await Fakes.FakeDiscordServer.StartAsync(cancellationToken: Token);
        var hook = fake.AddWebhook(fake.AddChannel());
        await using var harness = await DiscordHarness.StartAsync(
            settings: new Dictionary<string, string?> { ["Discord:RequestTimeout"] = "00:00:00.500", ["Discord:Webhooks:ops"] = hook.Url.ToString() },
            fake: fake,
            configureServices: services => services.AddHttpClient<DiscordRestClient>().AddHttpMessageHandler(() => new FirstMessageFault(Fault.LoseResponse)));

        await Assert.ThrowsAsync<OutcomeUnknownException>(() => harness.Adapter.PostReplyAsync(new ChatTarget(ChatPlatform.Discord, "webhook:ops"), new ChatReply("maybe posted"), Token));

        Assert.Single(fake.WebhookMessages(hook.Id));
    }

    private enum Fault
    {
        /// <summary>The request reaches Discord, which posts the message, but the answer never comes back.</summary>
        LoseResponse,

        /// <summary>A proxy in front of Discord answers 502 without passing the request on.</summary>
        BadGateway,
    }

    private sealed class FirstMessageFault(Fault fault) : DelegatingHandler
    {
        private int _faulted;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var isMessage = request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.Contains("/messages", StringComparison.Ordinal)
                || request.RequestUri!.AbsolutePath.Contains("/webhooks/", StringComparison.Ordinal);
            if (!isMessage || Interlocked.Exchange(ref _faulted, 1) == 1)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            if (fault == Fault.BadGateway)
            {
                return new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>502</html>") };
            }

            using var response = await base.SendAsync(request, CancellationToken.None);
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable: the adapter's request timeout cancels the wait");
        }
    }
}
