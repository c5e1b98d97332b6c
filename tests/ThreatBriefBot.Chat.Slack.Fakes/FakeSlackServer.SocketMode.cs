using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ThreatBriefBot.Chat.Slack.Fakes;

/// <summary>Socket Mode: apps.connections.open tickets, the /link/ WebSocket, envelopes, acks, redelivery, disconnects.</summary>
public sealed partial class FakeSlackServer
{
    /// <summary>Slack allows up to 10 concurrent Socket Mode connections per app (platform-apis.md B8).</summary>
    public const int MaxSockets = 10;

    /// <summary>approximate_connection_time in hello: Slack's usual lifetime, and 360 s with debug_reconnects=true.</summary>
    private const int ConnectionSeconds = 18_060;
    private const int DebugConnectionSeconds = 360;

    private static readonly TimeSpan s_closeHandshakeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_minPingTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<int, SocketConnection> _sockets = [];
    private readonly HashSet<string> _tickets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeSlashCommand> _envelopes = new(StringComparer.Ordinal);
    private readonly List<FakeSlashCommand> _slashCommands = [];
    private readonly List<string> _unexpectedAcks = [];
    private int _socketCounter;
    private int _socketsConnected;
    private int _connectionsOpened;
    private int _connectionsOpenedAfterLinkDisabled;
    private int _commandCounter;
    private int _roundRobin;
    private bool _linkDisabled;

    /// <summary>apps.connections.open calls that returned a URL.</summary>
    public int ConnectionsOpened
    {
        get
        {
            lock (_gate)
            {
                return _connectionsOpened;
            }
        }
    }

    /// <summary>apps.connections.open calls after a link_disabled disconnect; an adapter that treats it as fatal makes none.</summary>
    public int ConnectionsOpenedAfterLinkDisabled
    {
        get
        {
            lock (_gate)
            {
                return _connectionsOpenedAfterLinkDisabled;
            }
        }
    }

    /// <summary>Sockets open now that have been sent hello.</summary>
    public int OpenSockets
    {
        get
        {
            lock (_gate)
            {
                return _sockets.Values.Count(s => s.Helloed);
            }
        }
    }

    /// <summary>Sockets sent hello since start, open or not.</summary>
    public int SocketsConnected
    {
        get
        {
            lock (_gate)
            {
                return _socketsConnected;
            }
        }
    }

    /// <summary>Frames the adapter sent that were not a valid ack: unknown envelope_id, wrong socket, not JSON, no envelope_id.</summary>
    public IReadOnlyList<string> UnexpectedAcks
    {
        get
        {
            lock (_gate)
            {
                return [.. _unexpectedAcks];
            }
        }
    }

    /// <summary>Every slash command sent so far (Socket Mode and HTTP), in order.</summary>
    public IReadOnlyList<FakeSlashCommand> SlashCommands
    {
        get
        {
            lock (_gate)
            {
                return [.. _slashCommands];
            }
        }
    }

    /// <summary>Until at least <paramref name="open"/> sockets are open and have been sent hello.</summary>
    public Task WaitForSocketsAsync(int open, CancellationToken cancellationToken = default) =>
        WaitUntilAsync(() => OpenSockets >= open, cancellationToken);

    /// <summary>Sends a slash_commands envelope (accepts_response_payload: true) on one open socket.</summary>
    public async Task<FakeSlashCommand> SendSlashCommandAsync(string command, string text, string channelId, string userId = "U0ADMIN001", CancellationToken cancellationToken = default)
    {
        var socket = PickSocket(preferred: null) ?? throw new InvalidOperationException("No open Socket Mode connection; await WaitForSocketsAsync(1) first.");
        var slash = NewSlashCommand(Guid.NewGuid().ToString(), command, text, channelId, userId);
        lock (_gate)
        {
            _envelopes[slash.EnvelopeId] = slash;
        }

        await DeliverAsync(slash, socket, attempt: 0, cancellationToken);
        _ = RedeliverUntilAckedAsync(slash);
        return slash;
    }

    /// <summary>
    /// Sends {"type":"disconnect","reason":…} to every open socket; refresh_requested and link_disabled close them
    /// <see cref="FakeSlackOptions.DisconnectCloseDelay"/> later, so an adapter that connects anew first loses nothing.
    /// </summary>
    public async Task SendDisconnectAsync(string reason)
    {
        var closes = reason is "refresh_requested" or "link_disabled";
        List<SocketConnection> targets;
        lock (_gate)
        {
            targets = [.. _sockets.Values.Where(s => s.Helloed && !s.Closing)];
            if (reason == "link_disabled")
            {
                _linkDisabled = true;
            }

            foreach (var target in targets)
            {
                target.Closing |= closes;
            }
        }

        var message = new JsonObject { ["type"] = "disconnect", ["reason"] = reason, ["debug_info"] = new JsonObject { ["host"] = "fake" } };
        if (reason == "too_many_websockets")
        {
            message["num_connections"] = targets.Count;
        }

        foreach (var target in targets)
        {
            await target.TrySendAsync(message.ToJsonString(), _stopping.Token);
        }

        if (closes)
        {
            _ = CloseLaterAsync(targets);
        }
    }

    /// <summary>Aborts every socket's TCP connection without a close frame.</summary>
    public async Task DropSocketsAsync()
    {
        AbortSockets();
        await WaitUntilAsync(() => OpenSockets == 0, _stopping.Token);
    }

    private void AbortSockets()
    {
        List<SocketConnection> targets;
        lock (_gate)
        {
            targets = [.. _sockets.Values];
        }

        foreach (var target in targets)
        {
            target.Abort();
        }
    }

    private Reply ConnectionsOpen(ApiCall call)
    {
        if (Authorize(call, TokenKind.App) is { } denied)
        {
            return denied;
        }

        var ticket = Guid.NewGuid().ToString();
        lock (_gate)
        {
            _tickets.Add(ticket);
            _connectionsOpened++;
            if (_linkDisabled)
            {
                _connectionsOpenedAfterLinkDisabled++;
            }
        }

        var url = new UriBuilder(_root) { Scheme = "ws", Path = "link/", Query = "ticket=" + ticket }.Uri;
        return Json(new JsonObject { ["ok"] = true, ["url"] = url.AbsoluteUri });
    }

    private async Task HandleSocketAsync(HttpContext context)
    {
        var ticket = context.Request.Query["ticket"].ToString();
        bool valid;
        lock (_gate)
        {
            valid = _tickets.Remove(ticket);
        }

        if (!context.WebSockets.IsWebSocketRequest || !valid)
        {
            var status = context.WebSockets.IsWebSocketRequest ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;
            Record(context.Request, status, null);
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(valid ? "not a websocket request" : "invalid_ticket", context.RequestAborted);
            return;
        }

        Record(context.Request, StatusCodes.Status101SwitchingProtocols, null);
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = _options.PingInterval,
            // With a timeout .NET sends real pings (as Slack does) rather than unsolicited pongs; generous, because
            // a busy test machine must not cut off a client that is merely slow to read.
            KeepAliveTimeout = TimeSpan.FromTicks(Math.Max((_options.PingInterval * 6).Ticks, s_minPingTimeout.Ticks)),
        });
        using var connection = new SocketConnection(Interlocked.Increment(ref _socketCounter), webSocket, context);
        int open;
        lock (_gate)
        {
            open = _sockets.Values.Count(s => s.Helloed);
            if (open < MaxSockets)
            {
                _sockets[connection.Number] = connection;
            }
        }

        if (open >= MaxSockets)
        {
            var refusal = new JsonObject
            {
                ["type"] = "disconnect",
                ["reason"] = "too_many_websockets",
                ["num_connections"] = open,
                ["debug_info"] = new JsonObject { ["host"] = "fake" },
            };
            await connection.TrySendAsync(refusal.ToJsonString(), _stopping.Token);
            await connection.CloseAsync(s_closeHandshakeTimeout);
            return;
        }

        try
        {
            var debug = context.Request.Query["debug_reconnects"].ToString() == "true";
            var hello = new JsonObject
            {
                ["type"] = "hello",
                ["num_connections"] = open + 1,
                ["debug_info"] = new JsonObject
                {
                    ["host"] = "fake",
                    ["build_number"] = 1,
                    ["approximate_connection_time"] = debug ? DebugConnectionSeconds : ConnectionSeconds,
                },
                ["connection_info"] = new JsonObject { ["app_id"] = AppId },
            };
            if (await connection.TrySendAsync(hello.ToJsonString(), _stopping.Token))
            {
                lock (_gate)
                {
                    connection.Helloed = true;
                    _socketsConnected++;
                    SignalLocked();
                }

                await ReceiveAsync(connection);
            }
        }
        finally
        {
            lock (_gate)
            {
                _sockets.Remove(connection.Number);
                SignalLocked();
            }
        }
    }

    private async Task ReceiveAsync(SocketConnection connection)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await connection.WebSocket.ReceiveAsync(buffer.AsMemory(), _stopping.Token);
            }
            catch (Exception e) when (SocketConnection.IsConnectionFailure(e))
            {
                return;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (connection.WebSocket.State == WebSocketState.CloseReceived)
                {
                    await connection.CloseAsync(s_closeHandshakeTimeout);
                }

                return;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                HandleFrame(connection, Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                message.SetLength(0);
            }
        }
    }

    private void HandleFrame(SocketConnection connection, string text)
    {
        string? envelopeId = null;
        JsonElement? payload = null;
        if (ParseObject(text) is { } frame)
        {
            envelopeId = MessageValidator.StringProperty(frame, "envelope_id");
            if (frame.TryGetProperty("payload", out var value) && value.ValueKind != JsonValueKind.Null)
            {
                payload = value;
            }
        }

        FakeSlashCommand? slash;
        lock (_gate)
        {
            slash = envelopeId is null ? null : _envelopes.GetValueOrDefault(envelopeId);
            var problem = envelopeId is null ? "frame without envelope_id"
                : slash is null ? $"ack for unknown envelope_id {envelopeId}"
                : !slash.WasDeliveredOn(connection.Number) ? $"ack for {envelopeId}, which was delivered on socket {slash.LastSocket}"
                : null;
            if (problem is not null)
            {
                _unexpectedAcks.Add($"socket {connection.Number}: {problem}: {text}");
                SignalLocked();
                return;
            }
        }

        if (payload is { } response)
        {
            RecordViolations($"ack {envelopeId} payload", MessageValidator.Validate(MessageKind.ResponseUrl, response, out _));
        }

        slash!.RecordAck(payload, connection.Number);
        lock (_gate)
        {
            SignalLocked();
        }
    }

    /// <summary>An open socket that has had hello: <paramref name="preferred"/> if still usable, else the next in turn, not closing if possible.</summary>
    private SocketConnection? PickSocket(int? preferred)
    {
        lock (_gate)
        {
            var usable = _sockets.Values.Where(s => s.Helloed && s.WebSocket.State == WebSocketState.Open).OrderBy(s => s.Number).ToList();
            if (preferred is { } number && usable.FirstOrDefault(s => s.Number == number && !s.Closing) is { } same)
            {
                return same;
            }

            var candidates = usable.Where(s => !s.Closing).ToList() is { Count: > 0 } fresh ? fresh : usable;
            return candidates.Count == 0 ? null : candidates[_roundRobin++ % candidates.Count];
        }
    }

    private FakeSlashCommand NewSlashCommand(string envelopeId, string command, string text, string channelId, string userId)
    {
        var number = Interlocked.Increment(ref _commandCounter);
        var responseUrl = new Uri(_root, $"commands/{TeamId}/{number}/{RandomToken(24)}");
        var payload = new JsonObject
        {
            ["token"] = VerificationToken,
            ["team_id"] = TeamId,
            ["team_domain"] = TeamDomain,
            ["channel_id"] = channelId,
            ["channel_name"] = ChannelName(channelId),
            ["user_id"] = userId,
            ["user_name"] = "user-" + userId.ToLowerInvariant(),
            ["command"] = command,
            ["text"] = text,
            ["api_app_id"] = AppId,
            ["response_url"] = responseUrl.AbsoluteUri,
            ["trigger_id"] = $"{number}.{RandomToken(10)}.{RandomToken(32).ToLowerInvariant()}",
        };
        var slash = new FakeSlashCommand(envelopeId, MessageValidator.ToElement(payload), responseUrl);
        lock (_gate)
        {
            _slashCommands.Add(slash);
            _responseUrls[responseUrl.AbsolutePath] = slash;
        }

        return slash;
    }

    private static async Task DeliverAsync(FakeSlashCommand slash, SocketConnection socket, int attempt, CancellationToken cancellationToken)
    {
        var envelope = new JsonObject
        {
            ["envelope_id"] = slash.EnvelopeId,
            ["type"] = "slash_commands",
            ["accepts_response_payload"] = true,
            ["payload"] = JsonNode.Parse(slash.Payload.GetRawText()),
        };
        if (attempt > 0)
        {
            envelope["retry_attempt"] = attempt;
            envelope["retry_reason"] = "timeout";
        }

        // Recorded before sending so an ack racing the send is matched to this socket.
        slash.RecordDelivery(socket.Number);
        await socket.TrySendAsync(envelope.ToJsonString(), cancellationToken);
    }

    /// <summary>Redelivers the envelope each AckTimeout it stays unacked, to its socket or, if that closed, another one.</summary>
    private async Task RedeliverUntilAckedAsync(FakeSlashCommand slash)
    {
        // Taken now: the source is disposed with the server while this may still be waiting.
        var stopping = _stopping.Token;
        try
        {
            for (var attempt = 1; attempt <= _options.MaxRedeliveries; attempt++)
            {
                await Task.WhenAny(slash.Ack, Task.Delay(_options.AckTimeout, stopping));
                stopping.ThrowIfCancellationRequested();
                if (slash.IsAcked)
                {
                    return;
                }

                if (PickSocket(preferred: slash.LastSocket) is { } socket)
                {
                    await DeliverAsync(slash, socket, attempt, stopping);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }

    private async Task CloseLaterAsync(List<SocketConnection> targets)
    {
        var stopping = _stopping.Token;
        try
        {
            await Task.Delay(_options.DisconnectCloseDelay, stopping);
            await Task.WhenAll(targets.Select(t => t.CloseAsync(s_closeHandshakeTimeout)));
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }

    /// <summary>One accepted socket; sends are serialized because a WebSocket allows one outstanding send.</summary>
    private sealed class SocketConnection(int number, WebSocket webSocket, HttpContext context) : IDisposable
    {
        private readonly SemaphoreSlim _sendLock = new(1, 1);

        public int Number => number;

        public WebSocket WebSocket => webSocket;

        /// <summary>Guarded by the server's lock.</summary>
        public bool Helloed { get; set; }

        /// <summary>A refresh_requested/link_disabled disconnect was sent; guarded by the server's lock.</summary>
        public bool Closing { get; set; }

        public static bool IsConnectionFailure(Exception e) =>
            e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException;

        /// <summary>False when the socket is gone; the caller's redelivery or the adapter's reconnect deals with it.</summary>
        public async Task<bool> TrySendAsync(string text, CancellationToken cancellationToken)
        {
            try
            {
                await _sendLock.WaitAsync(cancellationToken);
                try
                {
                    await webSocket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                    return true;
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                return false;
            }
        }

        /// <summary>Sends a close frame and gives the client <paramref name="timeout"/> to answer before aborting.</summary>
        public async Task CloseAsync(TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await _sendLock.WaitAsync(deadline.Token);
                try
                {
                    if (webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await webSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "disconnect", deadline.Token);
                    }
                }
                finally
                {
                    _sendLock.Release();
                }

                // A client that never answers the close frame is cut off, as a server would.
                while (webSocket.State == WebSocketState.CloseSent)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
                }
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                webSocket.Abort();
            }
        }

        /// <summary>Cuts the TCP connection, no close frame.</summary>
        public void Abort()
        {
            webSocket.Abort();
            try
            {
                context.Abort();
            }
            catch (ObjectDisposedException)
            {
                // The request ended between the snapshot and now: the connection is gone already.
            }
        }

        public void Dispose() => _sendLock.Dispose();
    }
}
