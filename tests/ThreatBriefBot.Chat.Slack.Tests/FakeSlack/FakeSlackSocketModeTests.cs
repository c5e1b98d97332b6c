using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ThreatBriefBot.Chat.Slack.Fakes;
using static ThreatBriefBot.Chat.Slack.Tests.FakeSlack.FakeSlackTestKit;

namespace ThreatBriefBot.Chat.Slack.Tests.FakeSlack;

public sealed class FakeSlackSocketModeTests
{
    [Fact]
    public async Task ConnectionsOpen_AppToken_HelloThenEnvelopeThenAck()
    {
        var options = FastOptions();
        // No redelivery however slow this machine is, so Deliveries stays 1.
        options.AckTimeout = TimeSpan.FromSeconds(30);
        await using var fake = await FakeSlackServer.StartAsync(options, TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        using var socket = await ConnectAsync(http, fake);

        var hello = await ReceiveAsync(socket);
        await fake.WaitForSocketsAsync(1, TestContext.Current.CancellationToken);
        var slash = await fake.SendSlashCommandAsync("/brief", "japan", channel, cancellationToken: TestContext.Current.CancellationToken);
        var envelope = await ReceiveAsync(socket);
        await SendAsync(socket, new JsonObject { ["envelope_id"] = slash.EnvelopeId, ["payload"] = new JsonObject { ["text"] = "Working on it" } }.ToJsonString());
        var ack = await slash.Ack.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal("hello", hello.GetProperty("type").GetString());
        Assert.Equal(FakeSlackServer.AppId, hello.GetProperty("connection_info").GetProperty("app_id").GetString());
        Assert.Equal(1, hello.GetProperty("num_connections").GetInt32());
        Assert.True(hello.GetProperty("debug_info").GetProperty("approximate_connection_time").GetInt32() > 0);
        Assert.Equal(("slash_commands", slash.EnvelopeId, true), (envelope.GetProperty("type").GetString(), envelope.GetProperty("envelope_id").GetString(), envelope.GetProperty("accepts_response_payload").GetBoolean()));
        var payload = envelope.GetProperty("payload");
        Assert.Equal(("/brief", "japan", channel), (payload.GetProperty("command").GetString(), payload.GetProperty("text").GetString(), payload.GetProperty("channel_id").GetString()));
        Assert.StartsWith(new Uri(fake.ApiBaseUrl, "/commands/").AbsoluteUri, payload.GetProperty("response_url").GetString(), StringComparison.Ordinal);
        Assert.Equal("Working on it", ack.Payload?.GetProperty("text").GetString());
        Assert.Equal((1, 1, 1), (ack.SocketNumber, slash.AckCount, slash.Deliveries));
        Assert.Equal(1, fake.ConnectionsOpened);
        Assert.Empty(fake.UnexpectedAcks);
        Assert.Empty(fake.SchemaViolations);
    }

    [Fact]
    public async Task ConnectionsOpen_BotToken_NotAllowedTokenType()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        var (_, body) = await CallAsync(http, fake, "apps.connections.open", null, FakeSlackServer.BotToken);

        Assert.Equal("not_allowed_token_type", body.GetProperty("error").GetString());
        Assert.Equal(0, fake.ConnectionsOpened);
    }

    [Fact]
    public async Task Link_TicketUsedTwice_SecondRefused()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var (_, opened) = await CallAsync(http, fake, "apps.connections.open", null, FakeSlackServer.AppToken);
        var url = new Uri(opened.GetProperty("url").GetString()!);
        using var first = new ClientWebSocket();
        using var second = new ClientWebSocket();

        await first.ConnectAsync(url, TestContext.Current.CancellationToken);
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => second.ConnectAsync(url, TestContext.Current.CancellationToken));

        Assert.Equal("ws", url.Scheme);
        Assert.Equal(IPAddress.Loopback.ToString(), url.Host);
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        Assert.Equal("hello", (await ReceiveAsync(first)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task SendSlashCommand_NotAcked_RedeliveredWithSameEnvelopeId()
    {
        var options = FastOptions();
        // One redelivery only, so a slow ack below cannot add a third.
        options.MaxRedeliveries = 1;
        await using var fake = await FakeSlackServer.StartAsync(options, TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        using var socket = await ConnectAsync(http, fake);
        await ReceiveAsync(socket);
        await fake.WaitForSocketsAsync(1, TestContext.Current.CancellationToken);

        var slash = await fake.SendSlashCommandAsync("/brief", "", fake.AddChannel(), cancellationToken: TestContext.Current.CancellationToken);
        var first = await ReceiveAsync(socket);
        var again = await ReceiveAsync(socket);
        await SendAsync(socket, new JsonObject { ["envelope_id"] = slash.EnvelopeId }.ToJsonString());
        var ack = await slash.Ack.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(first.GetProperty("envelope_id").GetString(), again.GetProperty("envelope_id").GetString());
        Assert.Equal(1, again.GetProperty("retry_attempt").GetInt32());
        Assert.Equal(2, slash.Deliveries);
        Assert.Null(ack.Payload);
    }

    [Fact]
    public async Task Ack_UnknownEnvelopeOrOtherSocket_RecordedAsUnexpected()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        using var one = await ConnectAsync(http, fake);
        await ReceiveAsync(one);
        await fake.WaitForSocketsAsync(1, TestContext.Current.CancellationToken);
        var slash = await fake.SendSlashCommandAsync("/brief", "", fake.AddChannel(), cancellationToken: TestContext.Current.CancellationToken);
        await ReceiveAsync(one);
        using var two = await ConnectAsync(http, fake);
        await ReceiveAsync(two);

        await SendAsync(one, new JsonObject { ["envelope_id"] = "no-such-envelope" }.ToJsonString());
        await SendAsync(two, new JsonObject { ["envelope_id"] = slash.EnvelopeId }.ToJsonString());
        await fake.WaitUntilAsync(() => fake.UnexpectedAcks.Count == 2, TestContext.Current.CancellationToken);
        await SendAsync(one, new JsonObject { ["envelope_id"] = slash.EnvelopeId }.ToJsonString());
        var ack = await slash.Ack.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Contains(fake.UnexpectedAcks, a => a.StartsWith("socket 1: ack for unknown envelope_id no-such-envelope", StringComparison.Ordinal));
        Assert.Contains(fake.UnexpectedAcks, a => a.StartsWith($"socket 2: ack for {slash.EnvelopeId}, which was delivered on socket 1", StringComparison.Ordinal));
        Assert.Equal((1, 1), (ack.SocketNumber, slash.AckCount));
    }

    [Fact]
    public async Task SendDisconnect_RefreshRequested_SendsThenClosesAfterDelay()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        using var socket = await ConnectAsync(http, fake);
        await ReceiveAsync(socket);
        await fake.WaitForSocketsAsync(1, TestContext.Current.CancellationToken);

        await fake.SendDisconnectAsync("refresh_requested");
        var disconnect = await ReceiveAsync(socket);
        var close = await socket.ReceiveAsync(new byte[1024], TestContext.Current.CancellationToken);

        Assert.Equal(("disconnect", "refresh_requested", "fake"),
            (disconnect.GetProperty("type").GetString(), disconnect.GetProperty("reason").GetString(), disconnect.GetProperty("debug_info").GetProperty("host").GetString()));
        Assert.Equal(WebSocketMessageType.Close, close.MessageType);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, TestContext.Current.CancellationToken);
        await fake.WaitUntilAsync(() => fake.OpenSockets == 0, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task SendDisconnect_LinkDisabled_CountsLaterConnectionsOpen()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        using var socket = await ConnectAsync(http, fake);
        await ReceiveAsync(socket);
        await fake.WaitForSocketsAsync(1, TestContext.Current.CancellationToken);

        await fake.SendDisconnectAsync("link_disabled");
        var (_, reopened) = await CallAsync(http, fake, "apps.connections.open", null, FakeSlackServer.AppToken);

        Assert.True(reopened.GetProperty("ok").GetBoolean());
        Assert.Equal((2, 1), (fake.ConnectionsOpened, fake.ConnectionsOpenedAfterLinkDisabled));
    }

    [Fact]
    public async Task DropSockets_Open_ClientSeesAbort()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        using var socket = await ConnectAsync(http, fake);
        await ReceiveAsync(socket);
        await fake.WaitForSocketsAsync(1, TestContext.Current.CancellationToken);

        await fake.DropSocketsAsync();

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ReceiveAsync(new byte[1024], TestContext.Current.CancellationToken));
        Assert.Equal(0, fake.OpenSockets);
    }

    [Fact]
    public async Task Link_Connected_ServerSendsPingFrames()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var (_, opened) = await CallAsync(http, fake, "apps.connections.open", null, FakeSlackServer.AppToken);
        var url = new Uri(opened.GetProperty("url").GetString()!);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        // A bare upgrade so the frames can be read as they arrive; ClientWebSocket answers pings without showing them.
        var upgrade = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(upgrade), TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));

        var headers = await ReadHeadersAsync(stream, timeout.Token);
        var opcodes = new List<int>();
        while (!opcodes.Contains(0x9))
        {
            opcodes.Add(await ReadFrameOpcodeAsync(stream, timeout.Token));
        }

        Assert.StartsWith("HTTP/1.1 101", headers, StringComparison.Ordinal);
        Assert.Equal(0x1, opcodes[0]);
    }

    private static async Task<string> ReadHeadersAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var headers = new StringBuilder();
        var one = new byte[1];
        while (!headers.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            headers.Append((char)one[0]);
        }

        return headers.ToString();
    }

    /// <summary>Reads one unmasked server frame and returns its opcode (RFC 6455 5.2).</summary>
    private static async Task<int> ReadFrameOpcodeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new byte[2];
        await stream.ReadExactlyAsync(head, cancellationToken);
        long length = head[1] & 0x7F;
        if (length >= 126)
        {
            var extended = new byte[length == 126 ? 2 : 8];
            await stream.ReadExactlyAsync(extended, cancellationToken);
            length = extended.Aggregate(0L, (total, b) => (total << 8) | b);
        }

        await stream.ReadExactlyAsync(new byte[length], cancellationToken);
        return head[0] & 0x0F;
    }
}
