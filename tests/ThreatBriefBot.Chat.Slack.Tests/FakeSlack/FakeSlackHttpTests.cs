using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThreatBriefBot.Chat.Slack.Fakes;
using static ThreatBriefBot.Chat.Slack.Tests.FakeSlack.FakeSlackTestKit;

namespace ThreatBriefBot.Chat.Slack.Tests.FakeSlack;

public sealed class FakeSlackHttpTests
{
    [Theory]
    [InlineData(SignatureMode.Valid, true)]
    [InlineData(SignatureMode.Tampered, false)]
    public async Task PostSlashCommand_Mode_SignatureMatchesBodyOnlyWhenValid(SignatureMode mode, bool matches)
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        await using var endpoint = await CommandEndpoint.StartAsync();
        var channel = fake.AddChannel();

        using var response = await fake.PostSlashCommandAsync(endpoint.Url, "/brief", "japan ransomware", channel, signature: mode, cancellationToken: TestContext.Current.CancellationToken);

        var received = Assert.Single(endpoint.Received);
        var timestamp = received.Headers[SlackSignature.TimestampHeader];
        Assert.Equal(matches, SlackSignature.Compute(FakeSlackServer.SigningSecret, timestamp, received.Body) == received.Headers[SlackSignature.SignatureHeader]);
        Assert.InRange(long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.Equal("application/x-www-form-urlencoded", received.Headers["Content-Type"]);
        var form = QueryHelpers.ParseQuery(received.Body);
        Assert.Equal(["token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name", "command", "text", "api_app_id", "response_url", "trigger_id"], form.Keys);
        Assert.Equal(("/brief", channel), (form["command"].ToString(), form["channel_id"].ToString()));
        var slash = Assert.Single(fake.SlashCommands);
        var ack = await slash.Ack.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(("Working on it", 0), (ack.Payload?.GetProperty("text").GetString(), ack.SocketNumber));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostSlashCommand_MissingAndAged_NoSignatureAndOldTimestamp()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        await using var endpoint = await CommandEndpoint.StartAsync();
        var channel = fake.AddChannel();

        using var missing = await fake.PostSlashCommandAsync(endpoint.Url, "/brief", "", channel, signature: SignatureMode.Missing, cancellationToken: TestContext.Current.CancellationToken);
        using var aged = await fake.PostSlashCommandAsync(endpoint.Url, "/brief", "", channel, age: TimeSpan.FromMinutes(10), cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(endpoint.Received[0].Headers.ContainsKey(SlackSignature.SignatureHeader));
        var agedTimestamp = long.Parse(endpoint.Received[1].Headers[SlackSignature.TimestampHeader], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - agedTimestamp, 595, 605);
        Assert.True(endpoint.Received[1].Headers.ContainsKey(SlackSignature.SignatureHeader));
    }

    [Fact]
    public async Task ResponseUrl_SixPosts_FiveAcceptedThenUsedUrl()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        await using var endpoint = await CommandEndpoint.StartAsync();
        using var http = new HttpClient();
        using var ack = await fake.PostSlashCommandAsync(endpoint.Url, "/brief", "", fake.AddChannel(), cancellationToken: TestContext.Current.CancellationToken);
        var slash = Assert.Single(fake.SlashCommands);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var content = new StringContent(new JsonObject { ["response_type"] = "in_channel", ["text"] = $"part {i}" }.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(slash.ResponseUrl, content, TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        await slash.WaitForResponsesAsync(5, TestContext.Current.CancellationToken);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.NotFound], statuses);
        Assert.Equal(["part 0", "part 1", "part 2", "part 3", "part 4"], slash.ResponseUrlPosts.Select(p => p.Body.GetProperty("text").GetString()));
        Assert.Empty(fake.SchemaViolations);
    }

    [Fact]
    public async Task IncomingWebhook_States_AnswerSlackStatuses()
    {
        var options = FastOptions();
        options.PostMessageBurst = 1;
        options.PostMessageInterval = TimeSpan.FromMinutes(1);
        await using var fake = await FakeSlackServer.StartAsync(options, TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        var ok = fake.AddIncomingWebhook(channel);
        var archived = fake.AddIncomingWebhook(fake.AddChannel(ChannelState.Archived));
        var missing = fake.AddIncomingWebhook(fake.AddChannel(ChannelState.Missing));
        var empty = fake.AddIncomingWebhook(channel);

        var answers = new List<(HttpStatusCode, string)>();
        foreach (var (hook, body) in new[] { (ok, "{\"text\":\"hi\"}"), (ok, "{\"text\":\"again\"}"), (archived, "{\"text\":\"hi\"}"), (missing, "{\"text\":\"hi\"}"), (empty, "{}") })
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(hook, content, TestContext.Current.CancellationToken);
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }

        Assert.Equal(
            [(HttpStatusCode.OK, "ok"), (HttpStatusCode.TooManyRequests, "rate_limited"), (HttpStatusCode.Gone, "channel_is_archived"),
             (HttpStatusCode.NotFound, "channel_not_found"), (HttpStatusCode.BadRequest, "no_text")],
            answers);
        Assert.Equal("hi", Assert.Single(fake.WebhookMessages(ok)).Body.GetProperty("text").GetString());
    }

    /// <summary>Stands in for the adapter's slash-command endpoint: records what arrives and answers with a JSON message.</summary>
    private sealed class CommandEndpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly List<(IReadOnlyDictionary<string, string> Headers, string Body)> _received = [];

        private CommandEndpoint(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = new("http://127.0.0.1/");

        public IReadOnlyList<(IReadOnlyDictionary<string, string> Headers, string Body)> Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        public static async Task<CommandEndpoint> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var endpoint = new CommandEndpoint(builder.Build());
            endpoint._app.Run(endpoint.HandleAsync);
            await endpoint._app.StartAsync(TestContext.Current.CancellationToken);
            var address = endpoint._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            endpoint.Url = new Uri(new Uri(address), "slack/commands");
            return endpoint;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private async Task HandleAsync(HttpContext context)
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            lock (_received)
            {
                _received.Add((context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"response_type\":\"ephemeral\",\"text\":\"Working on it\"}", context.RequestAborted);
        }
    }
}
