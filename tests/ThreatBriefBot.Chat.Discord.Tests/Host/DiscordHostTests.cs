using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Chat.Discord.Fakes;
using ThreatBriefBot.Chat.Discord.Fakes.Validation;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Commands;

namespace ThreatBriefBot.Chat.Discord.Tests.Host;

/// <summary>The real host with Discord enabled: digests into a fake channel, slash commands through Core's handler.</summary>
public sealed class DiscordHostTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Run_DiscordSubscription_DigestArrivesInTheChannel()
    {
        await using var fake = await FakeDiscordServer.StartAsync(DiscordWorker.FakeOptions(), Token);
        var channel = fake.AddChannel();

        await using (var worker = await DiscordWorker.StartAsync(_sandbox, fake, json => json["Digests"]!["Subscriptions"] = new JsonArray(new JsonObject
        {
            ["Name"] = "discord-every-two-seconds",
            ["Platform"] = "Discord",
            ["Channel"] = channel,
            ["Topics"] = new JsonArray("cyberattacks", "climate", "trade"),
            ["Cron"] = "0/2 * * * * ?",
            ["TimeZone"] = "UTC",
            ["MaxItemAge"] = "3650.00:00:00",
        })))
        {
            Assert.True(
                await EventuallyAsync(() => fake.Messages(channel).Count > 0, DiscordWorker.Patience),
                "no digest reached the channel; the worker's log:\n" + worker.Error);
        }

        var first = fake.Messages(channel)[0].Body;
        Assert.StartsWith("Digest discord-every-two-seconds", first.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains(first.GetProperty("embeds").EnumerateArray(), e => e.GetProperty("title").GetString()!.StartsWith("cyberattacks · ", StringComparison.Ordinal));
        Assert.Empty(fake.SchemaViolations);
    }

    [Fact]
    public async Task Run_ChannelClosedToTheBot_SubscriptionPausedAndOpsToldOnDiscord()
    {
        await using var fake = await FakeDiscordServer.StartAsync(DiscordWorker.FakeOptions(), Token);
        var closed = fake.AddChannel(ChannelState.MissingPermissions);
        var ops = fake.AddChannel();

        await using (var worker = await DiscordWorker.StartAsync(_sandbox, fake, json =>
        {
            json["Alerts"]!["Platform"] = "Discord";
            json["Alerts"]!["Channel"] = ops;
            json["Digests"]!["Subscriptions"] = new JsonArray(new JsonObject
            {
                ["Name"] = "closed-channel",
                ["Platform"] = "Discord",
                ["Channel"] = closed,
                ["Topics"] = new JsonArray("cyberattacks", "climate", "trade"),
                ["Cron"] = "0/2 * * * * ?",
                ["TimeZone"] = "UTC",
                ["MaxItemAge"] = "3650.00:00:00",
            });
        }))
        {
            Assert.True(await EventuallyAsync(() => fake.Messages(ops).Count > 0, DiscordWorker.Patience), "ops were never told");

            // Paused: the channel is not tried again on the following fire times.
            await Task.Delay(TimeSpan.FromSeconds(2.5), Token);
        }

        var alert = Assert.Single(fake.Messages(ops)).Body.GetProperty("content").GetString();
        Assert.StartsWith("Subscription 'closed-channel' is paused", alert, StringComparison.Ordinal);
        Assert.Contains("50013", alert, StringComparison.Ordinal);
        Assert.Single(fake.Requests, r => r.Path.EndsWith($"channels/{closed}/messages", StringComparison.Ordinal));
        Assert.Empty(fake.SchemaViolations);
    }

    [Fact]
    public async Task Run_CommandWhileTheDatabaseIsSlow_DeferredWithinThreeSecondsThenEdited()
    {
        await using var fake = await FakeDiscordServer.StartAsync(DiscordWorker.FakeOptions(), Token);
        await using var worker = await DiscordWorker.StartAsync(_sandbox, fake, configureServices: services =>
            services.AddSingleton<IChatCommandHandler>(sp => new SlowCommandHandler(ActivatorUtilities.CreateInstance<ChatCommandHandler>(sp), TimeSpan.FromSeconds(4))));

        var interaction = await fake.SendCommandAsync(new SlashCommandSpec("topics", new Dictionary<string, string>(), fake.AddChannel()), Token);
        var callback = await interaction.Callback.WaitAsync(DiscordWorker.Patience, Token);
        await interaction.WaitForFollowUpsAsync(1, Token).WaitAsync(DiscordWorker.Patience, Token);

        Assert.Equal(5, callback.Type);
        Assert.True(callback.Elapsed < TimeSpan.FromSeconds(3), $"deferred after {callback.Elapsed}");
        Assert.InRange(callback.StatusServed, 200, 299);
        Assert.StartsWith("Topics: cyberattacks", Assert.Single(interaction.FollowUps).Body.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Empty(fake.SchemaViolations);
    }

    [Fact]
    public async Task Run_SubscribeWithoutManageChannels_PoliteEphemeralRefusal()
    {
        await using var fake = await FakeDiscordServer.StartAsync(DiscordWorker.FakeOptions(), Token);
        await using var worker = await DiscordWorker.StartAsync(_sandbox, fake);

        var interaction = await fake.SendCommandAsync(
            new SlashCommandSpec("subscribe", new Dictionary<string, string> { ["topics"] = "cyberattacks" }, fake.AddChannel(), Permissions: "0"),
            Token);
        var callback = await interaction.Callback.WaitAsync(DiscordWorker.Patience, Token);

        Assert.Equal(4, callback.Type);
        var data = callback.Body.GetProperty("data");
        Assert.Equal(64, data.GetProperty("flags").GetInt32());
        Assert.StartsWith("Sorry, only members with the Manage Channels permission can change", data.GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SubscribeWithManageChannels_SubscribedInChannel()
    {
        await using var fake = await FakeDiscordServer.StartAsync(DiscordWorker.FakeOptions(), Token);
        await using var worker = await DiscordWorker.StartAsync(_sandbox, fake);

        var interaction = await fake.SendCommandAsync(
            new SlashCommandSpec("subscribe", new Dictionary<string, string> { ["topics"] = "cyberattacks", ["countries"] = "japan" }, fake.AddChannel(), Permissions: "16"),
            Token);
        var callback = await interaction.Callback.WaitAsync(DiscordWorker.Patience, Token);

        var data = callback.Body.GetProperty("data");
        Assert.False(data.TryGetProperty("flags", out _));
        Assert.StartsWith("Subscribed this channel: cyberattacks about Japan", data.GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AutocompleteBriefQuery_SuggestsMatchingCountriesAndTopics()
    {
        await using var fake = await FakeDiscordServer.StartAsync(DiscordWorker.FakeOptions(), Token);
        await using var worker = await DiscordWorker.StartAsync(_sandbox, fake);

        var interaction = await fake.SendCommandAsync(
            new SlashCommandSpec("brief", new Dictionary<string, string> { ["query"] = "jap" }, fake.AddChannel(), Autocomplete: true),
            Token);
        var callback = await interaction.Callback.WaitAsync(DiscordWorker.Patience, Token);

        Assert.Equal(8, callback.Type);
        var choices = callback.Body.GetProperty("data").GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("value").GetString()).ToList();
        Assert.Equal("Japan", choices[0]);
        Assert.InRange(choices.Count, 1, 25);
        Assert.Empty(fake.SchemaViolations);
    }

    [Fact]
    public async Task Start_DiscordEnabledWithoutToken_FailsNamingTheSetting()
    {
        _sandbox.Configure(json => json["Discord"] = new JsonObject { ["Enabled"] = true, ["ApplicationId"] = FakeDiscordServer.ApplicationId });

        foreach (var verb in new[] { "poll", "run" })
        {
            var result = await _sandbox.RunAsync(verb);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(
                "Discord:BotToken is required when Discord:Enabled is true; set the environment variable Discord__BotToken or a user secret",
                result.Error,
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Brief_FormatDiscord_PrintsMessageBodiesTheSpecAccepts()
    {
        Assert.Equal(0, (await _sandbox.RunAsync("poll")).ExitCode);

        var brief = await _sandbox.RunAsync("brief", "japan", "--format", "discord");

        Assert.Equal(0, brief.ExitCode);
        var lines = brief.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var body = JsonDocument.Parse(line);
            Assert.Empty(Violations(body.RootElement));
            Assert.Equal("""{"parse":[]}""", body.RootElement.GetProperty("allowed_mentions").GetRawText());
        }

        using var first = JsonDocument.Parse(lines[0]);
        Assert.StartsWith("Brief: Japan", first.RootElement.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains(first.RootElement.GetProperty("embeds").EnumerateArray(), e => e.GetProperty("title").GetString()!.StartsWith("cyberattacks · ", StringComparison.Ordinal));
    }

    /// <summary>The fake's own check of a POST channels/{id}/messages body: the OpenAPI schema plus the docs' limits.</summary>
    private static List<Violation> Violations(JsonElement body)
    {
        var violations = DiscordSchemas.Validate(DiscordSchemas.MessageCreate, body).ToList();
        DocsRules.CheckMessage(body, MessageKind.ChannelMessage, "", violations);
        return violations;
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Token);
        }

        return condition();
    }

    /// <summary>Core's handler behind a slow database: every command waits before it runs.</summary>
    private sealed class SlowCommandHandler(IChatCommandHandler inner, TimeSpan delay) : IChatCommandHandler
    {
        public async Task<ChatReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return await inner.HandleAsync(command, cancellationToken);
        }
    }
}
