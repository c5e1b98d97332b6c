using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack.Tests.WebApi;

/// <summary>
/// Slack's own failures, which the loopback fake does not serve: 5xx with an HTML page, ok:false internal_error.
/// A scripted in-memory handler stands in for the network.
/// </summary>
public sealed class SlackWebApiClientTests
{
    private static readonly PostMessageRequest Message = new("C0123456789", "hello", null);

    private static (SlackWebApiClient Client, ScriptedHandler Handler) Client(params Func<HttpResponseMessage>[] answers)
    {
        var options = Options.Create(new SlackOptions { BotToken = "xoxb-1", RetryDelay = TimeSpan.FromMilliseconds(5), MinPostInterval = TimeSpan.Zero, MaxAttempts = 3 });
        var handler = new ScriptedHandler(answers);
        var http = new HttpClient(handler) { BaseAddress = new Uri("https://slack.test/api/") };
        return (new SlackWebApiClient(http, new ChannelPacer(options, TimeProvider.System), options, TimeProvider.System, NullLogger<SlackWebApiClient>.Instance), handler);
    }

    private static Func<HttpResponseMessage> Answer(HttpStatusCode status, string body, string mediaType = "application/json") =>
        () => new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    [Fact]
    public async Task PostMessageAsync_ServerErrorsThenOk_TriedAgainUntilPosted()
    {
        var (client, handler) = Client(
            Answer(HttpStatusCode.InternalServerError, "<html><title>Server Error | Slack</title></html>", "text/html"),
            Answer(HttpStatusCode.OK, """{"ok":false,"error":"internal_error"}"""),
            Answer(HttpStatusCode.OK, """{"ok":true,"channel":"C0123456789","ts":"1503435956.000247"}"""));

        var ts = await client.PostMessageAsync(Message, TestContext.Current.CancellationToken);

        Assert.Equal("1503435956.000247", ts);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task PostMessageAsync_HtmlPageWith200_TreatedAsAnOutageNotAVerdict()
    {
        var (client, handler) = Client(
            Answer(HttpStatusCode.OK, "<html>Slack is down</html>", "text/html"),
            Answer(HttpStatusCode.OK, """{"ok":true,"ts":"1503435956.000248"}"""));

        Assert.Equal("1503435956.000248", await client.PostMessageAsync(Message, TestContext.Current.CancellationToken));
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public async Task PostMessageAsync_ServerErrorEveryTime_GivesUpAfterMaxAttempts()
    {
        var error = Answer(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "text/html");
        var (client, handler) = Client(error, error, error, error);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostMessageAsync(Message, TestContext.Current.CancellationToken));

        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task PostMessageAsync_RateLimitedWithoutRetryAfter_WaitsAndPostsOnce()
    {
        var (client, handler) = Client(
            Answer(HttpStatusCode.TooManyRequests, """{"ok":false,"error":"ratelimited"}"""),
            Answer(HttpStatusCode.OK, """{"ok":false,"error":"rate_limited"}"""),
            Answer(HttpStatusCode.OK, """{"ok":true,"ts":"1503435956.000249"}"""));

        Assert.Equal("1503435956.000249", await client.PostMessageAsync(Message, TestContext.Current.CancellationToken));
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task PostMessageAsync_InvalidBlocks_RejectedAtOnce()
    {
        var (client, handler) = Client(Answer(HttpStatusCode.OK, """{"ok":false,"error":"invalid_blocks","errors":["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]}"""));

        var exception = await Assert.ThrowsAsync<ChatDeliveryException>(() => client.PostMessageAsync(Message, TestContext.Current.CancellationToken));

        Assert.Equal((ChatDeliveryFailure.Rejected, "invalid_blocks"), (exception.Failure, exception.PlatformError));
        Assert.Equal(ChatDeliveryFailure.Rejected, exception.Failure);
        Assert.Equal(1, handler.Calls);
    }

    private sealed class ScriptedHandler(Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            return Task.FromResult(answers[Math.Min(call, answers.Length) - 1]());
        }
    }
}
