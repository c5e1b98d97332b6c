using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ThreatBriefBot.Chat.Discord.Fakes;

public sealed partial class FakeDiscordServer
{
    private const int MaxGatewayPayloadBytes = 4096;
    private const int MaxGatewaySendsPerMinute = 120;
    private const int DispatchBufferSize = 1000;

    // Every documented intent bit (0-16, 20, 21, 24, 25); anything else closes 4013.
    private const long KnownIntents = 0x1FFFF | (1L << 20) | (1L << 21) | (1L << 24) | (1L << 25);

    // GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT: not enabled for the fake application, so they close 4014.
    private const long PrivilegedIntents = (1L << 1) | (1L << 8) | (1L << 15);

    private static readonly int[] ClientOpcodes = [1, 2, 3, 4, 6, 8, 31, 43];

    private readonly Dictionary<string, GatewaySession> _sessions = new(StringComparer.Ordinal);
    private readonly List<GatewayConnection> _connections = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _readyWaiters = [];
    private readonly List<Task> _background = [];
    private GatewayConnection? _currentConnection;
    private GatewaySession? _latestSession;
    private int _identifyCount;
    private int _resumeCount;
    private int _connectionCount;
    private int _readyCount;
    private int _heartbeatCount;
    private volatile bool _ackHeartbeats = true;

    public int IdentifyCount => Volatile.Read(ref _identifyCount);

    public int ResumeCount => Volatile.Read(ref _resumeCount);

    /// <summary>WebSocket connections accepted on /gateway and /resume.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>op 1 heartbeats received from the client.</summary>
    public int HeartbeatCount => Volatile.Read(ref _heartbeatCount);

    /// <summary>Whether any gateway WebSocket is open (scripted events go to the newest one).</summary>
    public bool IsGatewayConnected
    {
        get
        {
            lock (_sync)
            {
                return _currentConnection is not null;
            }
        }
    }

    /// <summary>false: stop answering op 1 with op 11, so the client must detect a zombie connection.</summary>
    public bool AckHeartbeats
    {
        get => _ackHeartbeats;
        set => _ackHeartbeats = value;
    }

    /// <summary>Completes once READY plus RESUMED dispatches sent reach <paramref name="sessions"/>.</summary>
    public Task WaitForReadyAsync(int sessions = 1, CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            if (_readyCount >= sessions)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _readyWaiters.Add((sessions, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Sends op 7 Reconnect, then closes the connection (4000) after <see cref="FakeDiscordOptions.ReconnectCloseDelay"/> if the client has not.</summary>
    public async Task SendReconnectAsync()
    {
        var connection = CurrentConnection();
        await SendAsync(connection, Envelope(7, "null", null, null));
        var close = CloseLaterAsync(connection);
        lock (_sync)
        {
            _background.Add(close);
        }
    }

    /// <summary>Sends op 9; with resumable false the session is gone, so a later Resume also gets op 9 false.</summary>
    public async Task SendInvalidSessionAsync(bool resumable)
    {
        var connection = CurrentConnection();
        if (!resumable && connection.Session is { } session)
        {
            session.Invalidated = true;
        }

        await SendAsync(connection, Envelope(9, resumable ? "true" : "false", null, null));
    }

    /// <summary>Closes the current connection with this code; codes after which Discord wants a new session invalidate it.</summary>
    public Task CloseGatewayAsync(int closeCode) =>
        CloseAsync(CurrentConnection(), closeCode, "Closed by the test", invalidate: closeCode is >= 4003 and <= 4014 and not 4008 and not 4006);

    /// <summary>Aborts the TCP connection without a close frame; the session stays resumable.</summary>
    public Task DropGatewayAsync()
    {
        CurrentConnection().Abort();
        return Task.CompletedTask;
    }

    /// <summary>Sends op 1: the client must heartbeat immediately.</summary>
    public Task RequestHeartbeatAsync()
    {
        var connection = CurrentConnection();
        var seq = connection.Session?.Seq;
        return SendAsync(connection, Envelope(1, seq?.ToString(CultureInfo.InvariantCulture) ?? "null", null, null));
    }

    private static string Envelope(int op, string dJson, int? seq, string? type) =>
        $"{{\"op\":{op},\"d\":{dJson},\"s\":{(seq?.ToString(CultureInfo.InvariantCulture) ?? "null")},\"t\":{(type is null ? "null" : JsonSerializer.Serialize(type))}}}";

    private GatewayConnection CurrentConnection()
    {
        lock (_sync)
        {
            return _currentConnection ?? throw new InvalidOperationException("No gateway connection is open.");
        }
    }

    private async Task HandleGatewayAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, context.RequestAborted);
        var connection = new GatewayConnection(context, socket, _time.GetUtcNow());
        lock (_sync)
        {
            _connections.Add(connection);
            _currentConnection = connection;
            _connectionCount++;
        }

        try
        {
            if (await CheckQueryAsync(connection))
            {
                await SendAsync(connection, Envelope(10, $"{{\"heartbeat_interval\":{(long)_options.HeartbeatInterval.TotalMilliseconds}}}", null, null));
                var monitor = MonitorHeartbeatsAsync(connection, stop.Token);
                await ReceiveLoopAsync(connection, stop.Token);
                await stop.CancelAsync();
                await monitor;
            }
            else
            {
                await ReceiveLoopAsync(connection, stop.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped or shut down: the session stays resumable, like a lost TCP connection on Discord.
        }
        finally
        {
            await DetachAsync(connection);
        }
    }

    /// <summary>v=10 and encoding=json, as Discord requires; anything else is closed before Hello.</summary>
    private async Task<bool> CheckQueryAsync(GatewayConnection connection)
    {
        var query = connection.Request.Query;
        var where = $"GATEWAY {connection.Request.Path}{connection.Request.QueryString}";
        if (query["v"].ToString() != "10")
        {
            AddViolation(where, "VERSION: the gateway URL must carry v=10");
            await CloseAsync(connection, 4012, "Invalid API version", invalidate: false);
            return false;
        }

        if (query["encoding"].ToString() != "json")
        {
            AddViolation(where, "ENCODING: the gateway URL must carry encoding=json");
            await CloseAsync(connection, 4002, "Decode error", invalidate: false);
            return false;
        }

        if (query.ContainsKey("compress"))
        {
            AddViolation(where, "COMPRESS: transport compression is not supported by the fake; send plain JSON text frames");
            await CloseAsync(connection, 4000, "Unknown error", invalidate: false);
            return false;
        }

        return true;
    }

    private async Task ReceiveLoopAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        var socket = connection.Socket;
        var buffer = new byte[MaxGatewayPayloadBytes];
        while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            using var message = new MemoryStream();
            var tooLarge = false;
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await OnClientCloseAsync(connection, result.CloseStatus, cancellationToken);
                    return;
                }

                tooLarge |= message.Length + result.Count > MaxGatewayPayloadBytes;
                if (!tooLarge)
                {
                    message.Write(buffer, 0, result.Count);
                }
            }
            while (!result.EndOfMessage);

            if (connection.ServerClosed)
            {
                continue;
            }

            if (tooLarge)
            {
                AddViolation("GATEWAY", $"PAYLOAD_TOO_LARGE: client payloads must be at most {MaxGatewayPayloadBytes} bytes");
                await CloseAsync(connection, 4002, "Decode error", invalidate: false);
            }
            else if (!connection.CountSend(_time.GetUtcNow()))
            {
                await CloseAsync(connection, 4008, "Rate limited.", invalidate: false);
            }
            else
            {
                await HandlePayloadAsync(connection, message.ToArray());
            }
        }
    }

    private static async Task OnClientCloseAsync(GatewayConnection connection, WebSocketCloseStatus? status, CancellationToken cancellationToken)
    {
        // Closing with 1000/1001 ends the session on Discord (the bot goes offline); any other code keeps it resumable.
        if (status is WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable && connection.Session is { } session)
        {
            session.Invalidated = true;
        }

        if (connection.Socket.State == WebSocketState.CloseReceived)
        {
            await connection.SendLock.WaitAsync(cancellationToken);
            try
            {
                await connection.Socket.CloseOutputAsync(status ?? WebSocketCloseStatus.Empty, null, cancellationToken);
            }
            finally
            {
                connection.SendLock.Release();
            }
        }
    }

    private async Task HandlePayloadAsync(GatewayConnection connection, byte[] payload)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(payload);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            AddViolation("GATEWAY", $"DECODE: the payload is not valid JSON ({e.Message})");
            await CloseAsync(connection, 4002, "Decode error", invalidate: false);
            return;
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out var opElement) || !opElement.TryGetInt32(out var op))
        {
            AddViolation("GATEWAY", "DECODE: a payload must be an object with an integer \"op\"");
            await CloseAsync(connection, 4002, "Decode error", invalidate: false);
            return;
        }

        var d = root.TryGetProperty("d", out var data) ? data : default;
        if (!ClientOpcodes.Contains(op))
        {
            await CloseAsync(connection, 4001, "Unknown opcode", invalidate: false);
            return;
        }

        if (connection.Session is null && op is not (1 or 2 or 6))
        {
            await CloseAsync(connection, 4003, "Not authenticated", invalidate: false);
            return;
        }

        switch (op)
        {
            case 1:
                await HeartbeatAsync(connection, d);
                break;
            case 2:
                await IdentifyAsync(connection, d);
                break;
            case 6:
                await ResumeAsync(connection, d);
                break;
            default:
                // Presence, voice and member requests are accepted and have no effect here.
                break;
        }
    }

    private async Task HeartbeatAsync(GatewayConnection connection, JsonElement d)
    {
        if (d.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null))
        {
            AddViolation("GATEWAY op 1", "HEARTBEAT: d must be the last sequence number received, or null");
        }

        connection.LastHeartbeat = _time.GetUtcNow();
        Interlocked.Increment(ref _heartbeatCount);
        if (_ackHeartbeats)
        {
            await SendAsync(connection, Envelope(11, "null", null, null));
        }
    }

    private async Task IdentifyAsync(GatewayConnection connection, JsonElement d)
    {
        if (connection.Session is { } existing)
        {
            existing.Invalidated = true;
            await CloseAsync(connection, 4005, "Already authenticated", invalidate: true);
            return;
        }

        if (d.ValueKind != JsonValueKind.Object)
        {
            AddViolation("GATEWAY op 2", "IDENTIFY: d must be an object");
            await CloseAsync(connection, 4001, "Invalid payload", invalidate: false);
            return;
        }

        if (!d.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String || token.GetString() != BotToken)
        {
            await CloseAsync(connection, 4004, "Authentication failed", invalidate: false);
            return;
        }

        if (!d.TryGetProperty("intents", out var intentsElement) || !intentsElement.TryGetInt64(out var intents) || (intents & ~KnownIntents) != 0)
        {
            await CloseAsync(connection, 4013, "Invalid intent(s)", invalidate: false);
            return;
        }

        if ((intents & PrivilegedIntents) != 0)
        {
            await CloseAsync(connection, 4014, "Disallowed intent(s)", invalidate: false);
            return;
        }

        JsonNode? shard = null;
        if (d.TryGetProperty("shard", out var shardElement) && shardElement.ValueKind != JsonValueKind.Null)
        {
            if (shardElement.ValueKind != JsonValueKind.Array || shardElement.GetArrayLength() != 2
                || !shardElement[0].TryGetInt32(out var shardId) || !shardElement[1].TryGetInt32(out var shardCount)
                || shardCount < 1 || shardId < 0 || shardId >= shardCount)
            {
                await CloseAsync(connection, 4010, "Invalid shard", invalidate: false);
                return;
            }

            shard = new JsonArray(shardId, shardCount);
        }

        CheckIdentifyFields(d);
        var session = new GatewaySession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        lock (_sync)
        {
            _sessions[session.Id] = session;
        }

        var ready = new JsonObject
        {
            ["v"] = 10,
            ["user"] = new JsonObject
            {
                ["id"] = BotUserId,
                ["username"] = BotUsername,
                ["discriminator"] = "0",
                ["global_name"] = null,
                ["avatar"] = null,
                ["bot"] = true,
                ["verified"] = true,
                ["flags"] = 0,
            },
            ["guilds"] = new JsonArray(),
            ["session_id"] = session.Id,
            ["resume_gateway_url"] = ResumeGatewayUrl.ToString().TrimEnd('/'),
            ["application"] = new JsonObject { ["id"] = ApplicationId, ["flags"] = 0 },
            ["private_channels"] = new JsonArray(),
        };
        if (shard is not null)
        {
            ready["shard"] = shard;
        }

        await session.Lock.WaitAsync();
        try
        {
            session.Connection = connection;
            connection.Session = session;
            await AppendAndSendAsync(session, "READY", ready.ToJsonString());
        }
        finally
        {
            session.Lock.Release();
        }

        lock (_sync)
        {
            _latestSession = session;
            _identifyCount++;
        }

        SignalReady();
    }

    private void CheckIdentifyFields(JsonElement d)
    {
        if (!d.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object
            || ((string[])["os", "browser", "device"]).Any(p => !properties.TryGetProperty(p, out var v) || v.ValueKind != JsonValueKind.String))
        {
            AddViolation("GATEWAY op 2", "IDENTIFY: properties {os, browser, device} (strings, no $ prefix) are required");
        }

        if (d.TryGetProperty("large_threshold", out var threshold) && (!threshold.TryGetInt32(out var value) || value is < 50 or > 250))
        {
            AddViolation("GATEWAY op 2", "IDENTIFY: large_threshold must be 50-250");
        }

        if (d.TryGetProperty("compress", out var compress) && compress.ValueKind == JsonValueKind.True)
        {
            AddViolation("GATEWAY op 2", "IDENTIFY: payload compression is not supported by the fake");
        }
    }

    private async Task ResumeAsync(GatewayConnection connection, JsonElement d)
    {
        if (connection.Session is not null)
        {
            await CloseAsync(connection, 4005, "Already authenticated", invalidate: true);
            return;
        }

        if (d.ValueKind != JsonValueKind.Object || !d.TryGetProperty("session_id", out var sessionId) || sessionId.ValueKind != JsonValueKind.String
            || !d.TryGetProperty("seq", out var seqElement) || !seqElement.TryGetInt32(out var seq))
        {
            AddViolation("GATEWAY op 6", "RESUME: d must be {token, session_id, seq} (the field is \"seq\", not \"s\")");
            await CloseAsync(connection, 4001, "Invalid payload", invalidate: false);
            return;
        }

        if (!d.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String || token.GetString() != BotToken)
        {
            await CloseAsync(connection, 4004, "Authentication failed", invalidate: false);
            return;
        }

        GatewaySession? session;
        lock (_sync)
        {
            session = _sessions.GetValueOrDefault(sessionId.GetString()!);
        }

        if (session is null || session.Invalidated)
        {
            await SendAsync(connection, Envelope(9, "false", null, null));
            return;
        }

        GatewayConnection? previous;
        await session.Lock.WaitAsync();
        try
        {
            if (seq > session.Seq || (session.Buffer.Count > 0 && session.Buffer[0].Seq > seq + 1))
            {
                session.Invalidated = true;
                await CloseAsync(connection, 4007, "Invalid seq", invalidate: false);
                return;
            }

            previous = session.Connection;
            session.Connection = connection;
            connection.Session = session;
            foreach (var (_, json) in session.Buffer.Where(b => b.Seq > seq).ToList())
            {
                await TrySendAsync(connection, json);
            }

            await AppendAndSendAsync(session, "RESUMED", "{}");
        }
        finally
        {
            session.Lock.Release();
        }

        // Discord serves a session on one connection: a resume elsewhere ends the old one.
        previous?.Abort();
        lock (_sync)
        {
            _latestSession = session;
            _resumeCount++;
        }

        SignalReady();
    }

    /// <summary>Sends a dispatch on the session's connection, or only buffers it while the session has none.</summary>
    private async Task DispatchAsync(GatewaySession session, string type, string dJson, CancellationToken cancellationToken)
    {
        await session.Lock.WaitAsync(cancellationToken);
        try
        {
            await AppendAndSendAsync(session, type, dJson);
        }
        finally
        {
            session.Lock.Release();
        }
    }

    /// <summary>Caller holds session.Lock, so sequence numbers and buffer order match what goes on the wire.</summary>
    private async Task AppendAndSendAsync(GatewaySession session, string type, string dJson)
    {
        var seq = ++session.Seq;
        var json = Envelope(0, dJson, seq, type);
        session.Buffer.Add((seq, json));
        if (session.Buffer.Count > DispatchBufferSize)
        {
            session.Buffer.RemoveAt(0);
        }

        if (session.Connection is { } connection)
        {
            await TrySendAsync(connection, json);
        }
    }

    private async Task SendAsync(GatewayConnection connection, string json)
    {
        if (!await TrySendAsync(connection, json))
        {
            throw new InvalidOperationException("The gateway connection is closed.");
        }
    }

    private async Task<bool> TrySendAsync(GatewayConnection connection, string json)
    {
        await connection.SendLock.WaitAsync();
        try
        {
            if (connection.ServerClosed || connection.Socket.State != WebSocketState.Open)
            {
                return false;
            }

            await connection.Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, _shutdown.Token);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            connection.SendLock.Release();
        }
    }

    private async Task CloseAsync(GatewayConnection connection, int code, string reason, bool invalidate)
    {
        if (invalidate && connection.Session is { } session)
        {
            session.Invalidated = true;
        }

        await connection.SendLock.WaitAsync();
        try
        {
            if (connection.ServerClosed || connection.Socket.State != WebSocketState.Open)
            {
                return;
            }

            connection.ServerClosed = true;
            await connection.Socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, _shutdown.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return;
        }
        finally
        {
            connection.SendLock.Release();
        }

        // A client that never answers the close frame is cut off, as a server would.
        var abort = AbortUnlessClosedAsync(connection);
        lock (_sync)
        {
            _background.Add(abort);
        }
    }

    private async Task AbortUnlessClosedAsync(GatewayConnection connection)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), _time, _shutdown.Token);
            if (connection.Socket.State != WebSocketState.Closed)
            {
                connection.Abort();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down aborts every connection anyway.
        }
    }

    private async Task CloseLaterAsync(GatewayConnection connection)
    {
        try
        {
            await Task.Delay(_options.ReconnectCloseDelay, _time, _shutdown.Token);
            await CloseAsync(connection, 4000, "Reconnect", invalidate: false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>Closes with 4009 when no heartbeat arrived for 1.5 intervals (Hello counts as the first).</summary>
    private async Task MonitorHeartbeatsAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        var timeout = _options.HeartbeatTimeout ?? _options.HeartbeatInterval * 1.5;
        var period = TimeSpan.FromTicks(Math.Max(Math.Min(_options.HeartbeatInterval.Ticks, timeout.Ticks) / 8, TimeSpan.FromMilliseconds(5).Ticks));
        try
        {
            while (!connection.ServerClosed && connection.Socket.State == WebSocketState.Open)
            {
                await Task.Delay(period, _time, cancellationToken);
                if (_time.GetUtcNow() - connection.LastHeartbeat > timeout)
                {
                    await CloseAsync(connection, 4009, "Session timed out", invalidate: true);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended first.
        }
    }

    private async Task DetachAsync(GatewayConnection connection)
    {
        if (connection.Session is { } session)
        {
            await session.Lock.WaitAsync();
            try
            {
                if (session.Connection == connection)
                {
                    session.Connection = null;
                }
            }
            finally
            {
                session.Lock.Release();
            }
        }

        lock (_sync)
        {
            _connections.Remove(connection);
            if (_currentConnection == connection)
            {
                _currentConnection = _connections.LastOrDefault();
            }
        }
    }

    private void SignalReady()
    {
        List<TaskCompletionSource> done;
        lock (_sync)
        {
            _readyCount++;
            done = [.. _readyWaiters.Where(w => _readyCount >= w.Count).Select(w => w.Done)];
            _readyWaiters.RemoveAll(w => _readyCount >= w.Count);
        }

        foreach (var waiter in done)
        {
            waiter.TrySetResult();
        }
    }

    private void AbortAllGatewayConnections()
    {
        List<GatewayConnection> connections;
        lock (_sync)
        {
            connections = [.. _connections];
        }

        foreach (var connection in connections)
        {
            connection.Abort();
        }
    }

    private sealed class GatewayConnection(HttpContext context, WebSocket socket, DateTimeOffset openedAt)
    {
        private readonly Queue<DateTimeOffset> _recentSends = new();

        public HttpRequest Request { get; } = context.Request;

        public WebSocket Socket { get; } = socket;

        /// <summary>Drops the TCP connection without a close frame; nothing to do once the request has ended.</summary>
        public void Abort()
        {
            try
            {
                context.Abort();
            }
            catch (ObjectDisposedException)
            {
                // The connection closed on its own first.
            }
        }

        public SemaphoreSlim SendLock { get; } = new(1, 1);

        public GatewaySession? Session { get; set; }

        public DateTimeOffset LastHeartbeat { get; set; } = openedAt;

        /// <summary>The fake sent a close frame; frames after it are ignored until the client's close arrives.</summary>
        public bool ServerClosed { get; set; }

        /// <summary>Discord allows 120 client payloads per 60 s per connection; false once exceeded.</summary>
        public bool CountSend(DateTimeOffset now)
        {
            while (_recentSends.Count > 0 && now - _recentSends.Peek() > TimeSpan.FromMinutes(1))
            {
                _recentSends.Dequeue();
            }

            _recentSends.Enqueue(now);
            return _recentSends.Count <= MaxGatewaySendsPerMinute;
        }
    }

    private sealed class GatewaySession(string id)
    {
        public string Id { get; } = id;

        public SemaphoreSlim Lock { get; } = new(1, 1);

        public int Seq { get; set; }

        public List<(int Seq, string Json)> Buffer { get; } = [];

        public GatewayConnection? Connection { get; set; }

        public bool Invalidated { get; set; }
    }
}
