using System.Text.Json;
using ThreatBriefBot.Chat.Discord.Fakes;

namespace ThreatBriefBot.Chat.Discord.Tests.FakeDiscord;

/// <summary>The fake's gateway against a raw ClientWebSocket: handshake, close codes and Resume replay.</summary>
public sealed class FakeDiscordGatewayTests
{
    // Long enough that a loaded machine never turns a test about something else into a 4009.
    private static readonly FakeDiscordOptions Steady = new() { HeartbeatInterval = TimeSpan.FromSeconds(5) };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Identify_ValidToken_HelloThenReadyWithSession()
    {
        await using var server = await FakeDiscordServer.StartAsync(Steady, Token);
        using var gateway = await RawGateway.ConnectAsync(server.GatewayUrl, Token);

        var hello = await gateway.ReceiveOpAsync(10, Token);
        await gateway.SendAsync("""{"op":1,"d":null}""", Token);
        var ack = await gateway.ReceiveOpAsync(11, Token);
        await gateway.SendAsync(RawGateway.Identify(FakeDiscordServer.BotToken), Token);
        var ready = await gateway.ReceiveOpAsync(0, Token, "READY");

        Assert.Equal(5000, hello.GetProperty("d").GetProperty("heartbeat_interval").GetInt32());
        Assert.Equal(JsonValueKind.Null, hello.GetProperty("s").ValueKind);
        Assert.Equal(JsonValueKind.Null, ack.GetProperty("t").ValueKind);
        Assert.Equal(1, ready.GetProperty("s").GetInt32());
        var d = ready.GetProperty("d");
        Assert.False(string.IsNullOrEmpty(d.GetProperty("session_id").GetString()));
        Assert.Equal(server.ResumeGatewayUrl.ToString().TrimEnd('/'), d.GetProperty("resume_gateway_url").GetString());
        Assert.Equal(FakeDiscordServer.ApplicationId, d.GetProperty("application").GetProperty("id").GetString());
        Assert.True(d.GetProperty("user").GetProperty("bot").GetBoolean());
        Assert.Equal(0, d.GetProperty("guilds").GetArrayLength());
        await server.WaitForReadyAsync(1, Token);
        Assert.Equal(1, server.IdentifyCount);
        Assert.Empty(server.SchemaViolations);
    }

    [Fact]
    public async Task Identify_BadToken_Closes4004()
    {
        await using var server = await FakeDiscordServer.StartAsync(Steady, Token);
        using var gateway = await RawGateway.ConnectAsync(server.GatewayUrl, Token);
        await gateway.ReceiveOpAsync(10, Token);

        await gateway.SendAsync(RawGateway.Identify("Bot " + FakeDiscordServer.BotToken), Token);

        Assert.Equal(4004, await gateway.ReceiveCloseAsync(Token));
        Assert.Equal(0, server.IdentifyCount);
    }

    [Fact]
    public async Task Identify_PrivilegedIntent_Closes4014()
    {
        await using var server = await FakeDiscordServer.StartAsync(Steady, Token);
        using var gateway = await RawGateway.ConnectAsync(server.GatewayUrl, Token);
        await gateway.ReceiveOpAsync(10, Token);

        await gateway.SendAsync(RawGateway.Identify(FakeDiscordServer.BotToken, intents: 1 << 15), Token);

        Assert.Equal(4014, await gateway.ReceiveCloseAsync(Token));
    }

    [Theory]
    [InlineData("?v=9&encoding=json", """{"op":1,"d":null}""", 4012)]
    [InlineData("?v=10&encoding=json", """{"op":3,"d":{}}""", 4003)]
    [InlineData("?v=10&encoding=json", """{"op":99,"d":null}""", 4001)]
    [InlineData("?v=10&encoding=json", "not json", 4002)]
    public async Task Connect_ProtocolError_ClosesWithDocumentedCode(string query, string payload, int expected)
    {
        await using var server = await FakeDiscordServer.StartAsync(Steady, Token);
        using var gateway = await RawGateway.ConnectAsync(server.GatewayUrl, Token, query);
        if (expected != 4012)
        {
            await gateway.ReceiveOpAsync(10, Token);
            await gateway.SendAsync(payload, Token);
        }

        Assert.Equal(expected, await gateway.ReceiveCloseAsync(Token));
    }

    [Fact]
    public async Task Payload_Over4096Bytes_Closes4002()
    {
        await using var server = await FakeDiscordServer.StartAsync(Steady, Token);
        using var gateway = await RawGateway.ConnectAsync(server.GatewayUrl, Token);
        await gateway.ReceiveOpAsync(10, Token);

        await gateway.SendAsync("{\"op\":1,\"d\":null,\"pad\":\"" + new string('x', 4096) + "\"}", Token);

        Assert.Equal(4002, await gateway.ReceiveCloseAsync(Token));
        Assert.Contains(server.SchemaViolations, v => v.Contains("PAYLOAD_TOO_LARGE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Identify_Twice_Closes4005()
    {
        await using var server = await FakeDiscordServer.StartAsync(Steady, Token);
        using var gateway = await RawGateway.ConnectAsync(server.GatewayUrl, Token);
        await gateway.ReceiveOpAsync(10, Token);
        await gateway.SendAsync(RawGateway.Identify(FakeDiscordServer.BotToken), Token);
        await gateway.ReceiveOpAsync(0, Token, "READY");

        await gateway.SendAsync(RawGateway.Identify(FakeDiscordServer.BotToken), Token);

        Assert.Equal(4005, await gateway.ReceiveCloseAsync(Token));
    }

    [Fact]
    public async Task Heartbeats_Missing_Closes4009()
    {
        await using var server = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(100) }, Token);
        using var gateway = await RawGateway.ConnectAsync(server.GatewayUrl, Token);

        Assert.Equal(4009, await gateway.ReceiveCloseAsync(Token));
    }

    [Fact]
    public async Task Resume_AfterDrop_ReplaysBufferedInteractionThenResumed()
    {
        await using var server = await FakeDiscordServer.StartAsync(Steady, Token);
        var channel = server.AddChannel();
        string sessionId;
        using (var first = await RawGateway.ConnectAsync(server.GatewayUrl, Token))
        {
            await first.ReceiveOpAsync(10, Token);
            await first.SendAsync(RawGateway.Identify(FakeDiscordServer.BotToken), Token);
            sessionId = (await first.ReceiveOpAsync(0, Token, "READY")).GetProperty("d").GetProperty("session_id").GetString()!;
            await server.DropGatewayAsync();
        }

        await WaitUntilAsync(() => !server.IsGatewayConnected);
        var interaction = await server.SendCommandAsync(new SlashCommandSpec("brief", new Dictionary<string, string> { ["query"] = "japan" }, channel), Token);
        using var second = await RawGateway.ConnectAsync(server.ResumeGatewayUrl, Token);
        await second.ReceiveOpAsync(10, Token);
        await second.SendAsync(RawGateway.Resume(FakeDiscordServer.BotToken, sessionId, 1), Token);
        var replayed = await second.ReceiveOpAsync(0, Token);
        var resumed = await second.ReceiveOpAsync(0, Token);

        Assert.Equal("INTERACTION_CREATE", replayed.GetProperty("t").GetString());
        Assert.Equal(2, replayed.GetProperty("s").GetInt32());
        var d = replayed.GetProperty("d");
        Assert.Equal(interaction.Id, d.GetProperty("id").GetString());
        Assert.Equal(interaction.Token, d.GetProperty("token").GetString());
        Assert.Equal(2, d.GetProperty("type").GetInt32());
        Assert.Equal(1, d.GetProperty("version").GetInt32());
        Assert.Equal(channel, d.GetProperty("channel_id").GetString());
        Assert.Equal("2147483647", d.GetProperty("member").GetProperty("permissions").GetString());
        var option = d.GetProperty("data").GetProperty("options")[0];
        Assert.Equal(("query", 3, "japan"), (option.GetProperty("name").GetString(), option.GetProperty("type").GetInt32(), option.GetProperty("value").GetString()));
        Assert.Equal("RESUMED", resumed.GetProperty("t").GetString());
        Assert.Equal(3, resumed.GetProperty("s").GetInt32());
        Assert.Equal(1, server.ResumeCount);
    }

    [Fact]
    public async Task ScriptedEvents_Connected_HeartbeatRequestThenReconnectThenClose4000()
    {
        await using var server = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { HeartbeatInterval = TimeSpan.FromSeconds(5), ReconnectCloseDelay = TimeSpan.FromMilliseconds(50) }, Token);
        using var gateway = await RawGateway.ConnectAsync(server.GatewayUrl, Token);
        await gateway.ReceiveOpAsync(10, Token);
        await gateway.SendAsync(RawGateway.Identify(FakeDiscordServer.BotToken), Token);
        await gateway.ReceiveOpAsync(0, Token, "READY");

        await server.RequestHeartbeatAsync();
        var heartbeatRequest = await gateway.ReceiveOpAsync(1, Token);
        await server.SendReconnectAsync();
        var reconnect = await gateway.ReceiveOpAsync(7, Token);

        Assert.Equal(JsonValueKind.Null, heartbeatRequest.GetProperty("s").ValueKind);
        Assert.Equal(JsonValueKind.Null, reconnect.GetProperty("t").ValueKind);
        Assert.Equal(4000, await gateway.ReceiveCloseAsync(Token));
    }

    [Fact]
    public async Task Resume_UnknownSession_InvalidSessionFalse()
    {
        await using var server = await FakeDiscordServer.StartAsync(Steady, Token);
        using var gateway = await RawGateway.ConnectAsync(server.ResumeGatewayUrl, Token);
        await gateway.ReceiveOpAsync(10, Token);

        await gateway.SendAsync(RawGateway.Resume(FakeDiscordServer.BotToken, "nope", 3), Token);
        var invalid = await gateway.ReceiveOpAsync(9, Token);

        Assert.False(invalid.GetProperty("d").GetBoolean());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
