using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ThreatBriefBot.Chat.Discord.Fakes;
using ThreatBriefBot.Chat.Discord.Gateway;
using ThreatBriefBot.Chat.Discord.Rendering;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Discord.Tests.Gateway;

/// <summary>The gateway lifecycle against the fake: handshake, resume, reconnect, invalid session, zombie, fatal close.</summary>
public sealed class DiscordGatewayTests
{
    private static readonly TimeSpan Patience = DiscordHarness.Patience;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// A one-second heartbeat by default: the fake ends a session whose heartbeat is half an interval late, which
    /// a busy machine can cause with a shorter one. The zombie test needs a short one to be quick.
    /// </summary>
    private static Task<DiscordHarness> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        int heartbeatMilliseconds = 1000,
        Func<ChatCommand, ChatReply>? reply = null) =>
        DiscordHarness.StartAsync(
            new FakeDiscordOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatMilliseconds), ReconnectCloseDelay = TimeSpan.FromMilliseconds(300) },
            receiveCommands: true,
            settings,
            reply: reply);

    private static SlashCommandSpec Brief(string channel, string query, bool inChannel = false) =>
        new("brief", inChannel ? new Dictionary<string, string> { ["query"] = query, ["public"] = "true" } : new Dictionary<string, string> { ["query"] = query }, channel);

    [Fact]
    public async Task Start_Handshake_IdentifiesOnceWithoutIntentsAndAnswersACommand()
    {
        await using var harness = await StartAsync();
        await harness.WaitForSessionAsync();

        var interaction = await harness.Fake.SendCommandAsync(Brief(harness.Fake.AddChannel(), "japan"), Token);
        var callback = await harness.AnswerOfAsync(interaction);

        Assert.Equal(4, callback.Type);
        Assert.Equal("brief japan", callback.Body.GetProperty("data").GetProperty("content").GetString());
        Assert.Equal(64, callback.Body.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.InRange(callback.StatusServed, 200, 299);
        Assert.Equal(1, harness.Fake.IdentifyCount);
        Assert.Empty(harness.Fake.SchemaViolations);
        var command = Assert.Single(harness.Commands.Received);
        Assert.Equal(new ChatTarget(ChatPlatform.Discord, interaction.Payload.GetProperty("channel_id").GetString()!), command.ReplyTo);
        Assert.Equal("300000000000000001", command.UserId);
        Assert.True(command.MayManageSubscriptions);
    }

    [Fact]
    public async Task Command_BriefAskedInChannel_NotEphemeral()
    {
        await using var harness = await StartAsync();
        await harness.WaitForSessionAsync();

        var callback = await harness.AnswerOfAsync(await harness.Fake.SendCommandAsync(Brief(harness.Fake.AddChannel(), "japan", inChannel: true), Token));

        Assert.False(callback.Body.GetProperty("data").TryGetProperty("flags", out _));
    }

    [Fact]
    public async Task Command_BriefLargerThanOneMessage_FirstPartAnsweredRestAsEphemeralFollowUps()
    {
        var digest = TestDigests.Large(topics: 14, perTopic: 20);
        await using var harness = await StartAsync(reply: _ => new ChatReply(digest.Title, digest));
        await harness.WaitForSessionAsync();

        var interaction = await harness.Fake.SendCommandAsync(Brief(harness.Fake.AddChannel(), "everything"), Token);
        var callback = await harness.AnswerOfAsync(interaction);
        var parts = DiscordMessageRenderer.RenderDigest(digest).Count;
        await interaction.WaitForFollowUpsAsync(parts - 1, Token).WaitAsync(Patience, Token);

        Assert.Equal(4, callback.Type);
        Assert.Equal($"Digest sub-test (1/{parts})", callback.Body.GetProperty("data").GetProperty("content").GetString());
        Assert.Equal(
            Enumerable.Range(2, parts - 1).Select(i => $"Digest sub-test ({i}/{parts})"),
            interaction.FollowUps.Select(f => f.Body.GetProperty("content").GetString()));
        Assert.All(interaction.FollowUps, f => Assert.Equal(64, f.Body.GetProperty("flags").GetInt32()));
    }

    [Fact]
    public async Task Command_SubscribeWithoutManageChannels_HandlerToldWhoMay()
    {
        await using var harness = await StartAsync();
        await harness.WaitForSessionAsync();

        await harness.AnswerOfAsync(await harness.Fake.SendCommandAsync(
            new SlashCommandSpec("subscribe", new Dictionary<string, string> { ["topics"] = "cyberattacks", ["countries"] = "japan" }, harness.Fake.AddChannel(), Permissions: "1024"),
            Token));

        var command = Assert.Single(harness.Commands.Received);
        Assert.Equal("cyberattacks japan", command.Argument);
        Assert.False(command.MayManageSubscriptions);
        Assert.Equal("members with the Manage Channels permission", command.WhoMayManage);
    }

    [Fact]
    public async Task Drop_MidSession_ResumedWithoutLosingTheInteraction()
    {
        await using var harness = await StartAsync();
        await harness.WaitForSessionAsync();
        var channel = harness.Fake.AddChannel();

        await harness.Fake.DropGatewayAsync();
        var interaction = await harness.Fake.SendCommandAsync(Brief(channel, "taiwan"), Token);
        var callback = await harness.AnswerOfAsync(interaction);

        Assert.Equal("brief taiwan", callback.Body.GetProperty("data").GetProperty("content").GetString());
        Assert.Equal(1, harness.Fake.IdentifyCount);
        Assert.Equal(1, harness.Fake.ResumeCount);
    }

    [Fact]
    public async Task Reconnect_Op7_ResumesTheSameSession()
    {
        await using var harness = await StartAsync();
        await harness.WaitForSessionAsync();

        await harness.Fake.SendReconnectAsync();
        await harness.WaitForSessionAsync(2);
        var callback = await harness.AnswerOfAsync(await harness.Fake.SendCommandAsync(Brief(harness.Fake.AddChannel(), "korea"), Token));

        Assert.Equal(4, callback.Type);
        Assert.Equal(1, harness.Fake.IdentifyCount);
        Assert.Equal(1, harness.Fake.ResumeCount);
        Assert.Equal(2, harness.Fake.ConnectionCount);
    }

    [Theory]
    [InlineData(false, 2, 0)]
    [InlineData(true, 1, 1)]
    public async Task InvalidSession_Op9_IdentifiesAgainOrResumesAsTold(bool resumable, int identifies, int resumes)
    {
        await using var harness = await StartAsync();
        await harness.WaitForSessionAsync();

        await harness.Fake.SendInvalidSessionAsync(resumable);
        await harness.WaitForSessionAsync(2);

        Assert.Equal(identifies, harness.Fake.IdentifyCount);
        Assert.Equal(resumes, harness.Fake.ResumeCount);
    }

    [Theory]
    [InlineData(4000, 1, 1)] // unknown error: resume
    [InlineData(4008, 1, 1)] // rate limited: resume
    [InlineData(4007, 2, 0)] // invalid seq: new session
    [InlineData(4009, 2, 0)] // session timed out: new session
    public async Task Close_ReconnectableCode_ResumesOrStartsANewSessionAsTheDocsSay(int code, int identifies, int resumes)
    {
        await using var harness = await StartAsync();
        await harness.WaitForSessionAsync();

        await harness.Fake.CloseGatewayAsync(code);
        await harness.WaitForSessionAsync(2);

        Assert.Equal(identifies, harness.Fake.IdentifyCount);
        Assert.Equal(resumes, harness.Fake.ResumeCount);
    }

    [Fact]
    public async Task Heartbeat_NoAck_ZombieDetectedAndSessionResumed()
    {
        await using var harness = await StartAsync(heartbeatMilliseconds: 300);
        await harness.WaitForSessionAsync();

        harness.Fake.AckHeartbeats = false;
        var resumed = await DiscordHarness.EventuallyAsync(() => harness.Fake.ResumeCount >= 1);
        harness.Fake.AckHeartbeats = true;

        Assert.True(resumed, "the client never noticed the missing heartbeat ACKs");
        Assert.Equal(1, harness.Fake.IdentifyCount);
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Id.Name == "DiscordGatewayZombie");
        var callback = await harness.AnswerOfAsync(await harness.Fake.SendCommandAsync(Brief(harness.Fake.AddChannel(), "china"), Token));
        Assert.Equal(4, callback.Type);
    }

    [Fact]
    public async Task Heartbeat_RequestedByServer_SentAtOnce()
    {
        await using var harness = await StartAsync();
        await harness.WaitForSessionAsync();
        var before = harness.Fake.HeartbeatCount;

        await harness.Fake.RequestHeartbeatAsync();

        Assert.True(await DiscordHarness.EventuallyAsync(() => harness.Fake.HeartbeatCount > before));
    }

    [Theory]
    [InlineData(4004, "Discord:BotToken")]
    [InlineData(4014, "privileged intent")]
    public async Task Close_FatalCode_GatewayStopsAndTheRestKeepsRunning(int code, string named)
    {
        await using var harness = await StartAsync();
        await harness.WaitForSessionAsync();
        var gateway = harness.Hosted<DiscordGatewayService>();

        await harness.Fake.CloseGatewayAsync(code);
        await gateway.ExecuteTask!.WaitAsync(Patience, Token);

        Assert.Contains(named, gateway.StoppedBecause, StringComparison.Ordinal);
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Id.Name == "DiscordGatewayStopped" && r.Message.Contains(named, StringComparison.Ordinal));
        Assert.False(harness.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        var channel = harness.Fake.AddChannel();
        await harness.Adapter.PostReplyAsync(new ChatTarget(ChatPlatform.Discord, channel), new ChatReply("digests still post"), Token);
        Assert.Single(harness.Fake.Messages(channel));
        Assert.Equal(1, harness.Fake.ConnectionCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Start_NoGatewayUrlConfigured_AsksDiscordWhereToConnect(string? configured)
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Discord:GatewayUrl"] = configured });

        await harness.WaitForSessionAsync();

        Assert.Contains(harness.Fake.Requests, r => r.Method == "GET" && r.Path.EndsWith("gateway/bot", StringComparison.Ordinal) && r.Status == 200);
    }

    [Fact]
    public async Task Start_TokenRejected_GatewayStopsNamingTheToken()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?> { ["Discord:GatewayUrl"] = null, ["Discord:BotToken"] = "revoked" });
        var gateway = harness.Hosted<DiscordGatewayService>();

        await gateway.ExecuteTask!.WaitAsync(Patience, Token);

        Assert.Contains("Discord:BotToken", gateway.StoppedBecause, StringComparison.Ordinal);
        Assert.Equal(0, harness.Fake.ConnectionCount);
        Assert.InRange(harness.Fake.InvalidRequests, 1, 2);
    }

    [Fact]
    public async Task Start_Commands_RegisteredGloballyByBulkOverwrite()
    {
        await using var harness = await StartAsync();
        await harness.WaitForSessionAsync();

        var commands = harness.Fake.RegisteredCommands();

        Assert.Equal(["brief", "subscribe", "unsubscribe", "subscriptions", "topics"], commands.Select(c => c.GetProperty("name").GetString()));
        var query = commands[0].GetProperty("options")[0];
        Assert.Equal(3, query.GetProperty("type").GetInt32());
        Assert.True(query.GetProperty("required").GetBoolean());
        Assert.True(query.GetProperty("autocomplete").GetBoolean());
        Assert.Equal(JsonValueKind.True, commands[1].GetProperty("options")[1].GetProperty("autocomplete").ValueKind);
        Assert.Contains(harness.Fake.Requests, r => r.Method == "PUT" && r.Path.EndsWith($"applications/{FakeDiscordServer.ApplicationId}/commands", StringComparison.Ordinal));
        Assert.Empty(harness.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Start_GuildIdsConfigured_CommandsRegisteredInEachGuild()
    {
        await using var harness = await StartAsync(new Dictionary<string, string?>
        {
            ["Discord:GuildIds:0"] = "200000000000000001",
            ["Discord:GuildIds:1"] = "200000000000000002",
        });
        await harness.WaitForSessionAsync();

        Assert.Equal(5, harness.Fake.RegisteredCommands("200000000000000001").Count);
        Assert.Equal(5, harness.Fake.RegisteredCommands("200000000000000002").Count);
        Assert.Empty(harness.Fake.RegisteredCommands());
        Assert.Empty(harness.Fake.SchemaViolations);
    }
}
