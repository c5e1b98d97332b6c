using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatBriefBot.Chat.Slack.Fakes;

namespace ThreatBriefBot.Chat.Slack.Tests.Hosting;

/// <summary>The real host and CLI with Slack: a scheduled digest arrives, the preview verb, start-up checks.</summary>
public sealed class SlackHostTests : IDisposable
{
    private readonly CliSandbox _sandbox = SlackSandbox.Create();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Worker_SlackSubscription_DigestArrivesInTheChannel()
    {
        await using var fake = await FakeSlackServer.StartAsync(SlackRig.FakeOptions(), Token);
        var channel = fake.AddChannel();
        _sandbox.Configure(json => json["Digests"]!["Subscriptions"] = new JsonArray(new JsonObject
        {
            ["Name"] = "slack-every-two-seconds",
            ["Platform"] = "Slack",
            ["Channel"] = channel,
            ["Topics"] = new JsonArray("cyberattacks", "climate", "trade"),
            ["Cron"] = "0/2 * * * * ?",
            ["TimeZone"] = "UTC",
            ["MaxItemAge"] = "3650.00:00:00",
        }));

        using var host = await _sandbox.StartWorkerAsync(SlackSandbox.SlackSettings(fake));
        try
        {
            await fake.WaitUntilAsync(() => fake.Messages(channel).Count > 0, Token).WaitAsync(TimeSpan.FromSeconds(45), Token);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }

        var first = fake.Messages(channel)[0].Body;
        var blocks = first.GetProperty("blocks");
        Assert.Equal("Digest slack-every-two-seconds", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Contains(blocks.EnumerateArray(), b => b.GetProperty("type").GetString() == "section"
            && b.GetProperty("text").GetProperty("text").GetString()!.StartsWith("*<http", StringComparison.Ordinal));
        Assert.Empty(fake.SchemaViolations);
        Assert.Equal(1, fake.ConnectionsOpened);
    }

    [Fact]
    public async Task Worker_ChannelArchived_SubscriptionPausedAndOpsToldInSlack()
    {
        await using var fake = await FakeSlackServer.StartAsync(SlackRig.FakeOptions(), Token);
        var archived = fake.AddChannel(ChannelState.Archived);
        var ops = fake.AddChannel();
        _sandbox.Configure(json =>
        {
            json["Alerts"]!["Platform"] = "Slack";
            json["Alerts"]!["Channel"] = ops;
            json["Digests"]!["Subscriptions"] = new JsonArray(new JsonObject
            {
                ["Name"] = "slack-archived",
                ["Platform"] = "Slack",
                ["Channel"] = archived,
                ["Topics"] = new JsonArray("cyberattacks", "climate", "trade"),
                ["Cron"] = "0/2 * * * * ?",
                ["TimeZone"] = "UTC",
                ["MaxItemAge"] = "3650.00:00:00",
            });
        });

        using var host = await _sandbox.StartWorkerAsync(SlackSandbox.SlackSettings(fake));
        try
        {
            await fake.WaitUntilAsync(() => fake.Messages(ops).Count > 0, Token).WaitAsync(TimeSpan.FromSeconds(45), Token);
            // Further fire times find the subscription paused: no second try at the archived channel.
            await Task.Delay(TimeSpan.FromSeconds(2.5), Token);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }

        var alert = Assert.Single(fake.Messages(ops)).Body.GetProperty("text").GetString();
        Assert.Contains("Subscription 'slack-archived' is paused", alert, StringComparison.Ordinal);
        Assert.Contains("is_archived", alert, StringComparison.Ordinal);
        Assert.Single(fake.Requests, r => r.Path.EndsWith("chat.postMessage", StringComparison.Ordinal)
            && JsonNode.Parse(r.Body!)!["channel"]!.GetValue<string>() == archived);
    }

    [Fact]
    public async Task BriefFormatSlack_Cli_PrintsPostMessageBodiesTheFakeAccepts()
    {
        Assert.Equal(0, (await _sandbox.RunAsync("poll", "--once")).ExitCode);

        var result = await _sandbox.RunAsync("brief", "cyberattacks", "--format", "slack");

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        await using var fake = await FakeSlackServer.StartAsync(SlackRig.FakeOptions(), Token);
        var channel = fake.AddChannel();
        using var http = new HttpClient();
        foreach (var line in lines)
        {
            var body = JsonNode.Parse(line)!.AsObject();
            Assert.Equal("C0000000000", body["channel"]!.GetValue<string>());
            Assert.Contains("blocks", body.Select(p => p.Key));

            // Exactly as printed, then to a channel the fake has: both must pass its checks of the spec and Block Kit.
            Assert.Equal("channel_not_found", (await PostAsync(http, fake, line)).GetProperty("error").GetString());
            body["channel"] = channel;
            var accepted = await PostAsync(http, fake, body.ToJsonString());
            Assert.True(accepted.GetProperty("ok").GetBoolean(), accepted.ToString());
        }

        Assert.Empty(fake.SchemaViolations);
        Assert.Equal(lines.Length, fake.Messages(channel).Count);
    }

    [Fact]
    public async Task Run_SlackEnabledWithoutBotToken_StartUpFailsNamingTheSetting()
    {
        _sandbox.Configure(json => json["Slack"] = new JsonObject
        {
            ["Enabled"] = true,
            ["AdminUserIds"] = new JsonArray(SlackSandbox.Admin),
        });

        var result = await _sandbox.RunAsync("run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Slack:BotToken is required when Slack:Enabled is true; set the environment variable Slack__BotToken or a user secret", result.Error, StringComparison.Ordinal);
        Assert.Contains("Slack:AppToken is required", result.Error, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, FakeSlackServer fake, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fake.ApiBaseUrl, "chat.postMessage"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FakeSlackServer.BotToken);
        using var response = await http.SendAsync(request, Token);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return document.RootElement.Clone();
    }
}
