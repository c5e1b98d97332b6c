using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Slack.Commands;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Chat.Slack.SocketMode;

/// <summary>
/// Slash commands over Socket Mode: apps.connections.open with the app-level token (one single-use URL per
/// connection), hello, slash_commands envelopes acknowledged on their socket, duplicates run once. On a
/// disconnect warning or refresh_requested the replacement connects first and the old one closes after the new
/// one's hello; a dropped connection is reopened with backoff; link_disabled or a refused token stops this
/// service (with an error in the log) and nothing else. It never throws out of <see cref="ExecuteAsync"/>.
/// </summary>
internal sealed class SlackSocketModeService(
    SlackWebApiClient api,
    SlashCommandRunner runner,
    IOptions<SlackOptions> options,
    TimeProvider timeProvider,
    ILogger<SlackSocketModeService> logger) : BackgroundService
{
    private const int RememberedEnvelopes = 1000;

    /// <summary>Sockets, hellos and disconnects are handled one at a time, in order, by the loop in ExecuteAsync.</summary>
    private readonly Channel<SocketEvent> _events = Channel.CreateUnbounded<SocketEvent>();
    private readonly RecentEnvelopes<SlashCommandRun> _recent = new(RememberedEnvelopes);
    private readonly List<SocketModeConnection> _live = [];
    private int _connections;
    /// <summary>Failed connections since the last hello; the wait before the next one doubles with each.</summary>
    private int _reconnectFailures;
    private volatile bool _stopped;

    private enum EventKind
    {
        Hello,
        Disconnect,
        Closed,
    }

    /// <summary>True once Socket Mode was turned off or the app token refused: the loop ended for good.</summary>
    public bool IsStopped => _stopped;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var waitBeforeConnecting = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested && !IsStopped)
            {
                if (_live.Count == 0)
                {
                    if (waitBeforeConnecting)
                    {
                        await Task.Delay(NextBackoff(), timeProvider, stoppingToken);
                    }

                    waitBeforeConnecting = true;
                    if (!await TryConnectAsync(stoppingToken))
                    {
                        continue;
                    }
                }

                var next = await _events.Reader.ReadAsync(stoppingToken);
                try
                {
                    await HandleAsync(next, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A bug here must not take the host down; the loop goes on with the next event.
                    Log.SocketFailed(logger, e, Backoff(_reconnectFailures + 1));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        finally
        {
            await CloseAllAsync();
        }
    }

    private async Task HandleAsync(SocketEvent next, CancellationToken stoppingToken)
    {
        var connection = next.Connection;
        switch (next.Kind)
        {
            case EventKind.Hello:
                _reconnectFailures = 0;
                Log.SocketReady(logger, connection.Number);
                foreach (var old in _live.Where(c => c.IsRetiring && c != connection))
                {
                    _ = old.RetireAsync(options.Value.AckPayloadDeadline + TimeSpan.FromSeconds(1), timeProvider, stoppingToken);
                }

                break;

            case EventKind.Disconnect when next.Reason == "link_disabled":
                Log.SocketModeDisabled(logger);
                _stopped = true;
                break;

            case EventKind.Disconnect when next.Reason == "too_many_websockets":
                Log.TooManyWebsockets(logger, connection.Number);
                connection.IsRetiring = true;

                // Slack has enough of this app's sockets: come back slowly, if this was the last one.
                _reconnectFailures = MaxDoublings;
                _ = connection.CloseAsync(stoppingToken);
                break;

            case EventKind.Disconnect:
                // warning, refresh_requested, and any reason Slack adds later: replace before the old one goes.
                Log.DisconnectRequested(logger, connection.Number, next.Reason ?? "");
                if (!connection.IsRetiring && _live.Contains(connection))
                {
                    connection.IsRetiring = true;
                    await TryConnectAsync(stoppingToken);
                }

                break;

            case EventKind.Closed:
                Log.SocketClosed(logger, connection.Number);
                _live.Remove(connection);

                // Acknowledgements still in progress find the socket closed and answer through response_url.
                _ = connection.DisposeWhenIdleAsync();
                break;
        }
    }

    /// <summary>Opens one more connection; false (logged) when that failed. A refused app token stops the service.</summary>
    private async Task<bool> TryConnectAsync(CancellationToken stoppingToken)
    {
        ClientWebSocket? socket = null;
        try
        {
            var url = await api.OpenConnectionAsync(stoppingToken);
            socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = options.Value.KeepAliveInterval;
            socket.Options.KeepAliveTimeout = options.Value.KeepAliveTimeout;
            using (var timer = new CancellationTokenSource(options.Value.RequestTimeout, timeProvider))
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token))
            {
                await socket.ConnectAsync(url, timeout.Token);
            }

            var connection = new SocketModeConnection(Interlocked.Increment(ref _connections), socket);
            socket = null;
            _live.Add(connection);
            _ = ReceiveAsync(connection, stoppingToken);
            return true;
        }
        catch (ChatDeliveryException e) when (e.Failure == ChatDeliveryFailure.NotAuthorized)
        {
            Log.SocketRefused(logger, e, e.PlatformError);
            _stopped = true;
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Log.SocketFailed(logger, e, Backoff(_reconnectFailures + 1));
            return false;
        }
        finally
        {
            socket?.Dispose();
        }
    }

    /// <summary>The receive loop of one connection: events to the main loop, envelopes handled beside it.</summary>
    private async Task ReceiveAsync(SocketModeConnection connection, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var text in connection.ReadMessagesAsync(stoppingToken))
            {
                SocketFrame? frame;
                try
                {
                    frame = JsonSerializer.Deserialize(text, SlackJson.Context.SocketFrame);
                }
                catch (JsonException e)
                {
                    Log.BadFrame(logger, e);
                    continue;
                }

                switch (frame)
                {
                    case { Type: "hello" }:
                        _events.Writer.TryWrite(new SocketEvent(EventKind.Hello, connection));
                        break;
                    case { Type: "disconnect" }:
                        _events.Writer.TryWrite(new SocketEvent(EventKind.Disconnect, connection, frame.Reason));
                        break;
                    case { EnvelopeId: { Length: > 0 } }:
                        connection.Track(AcknowledgeAsync(connection, frame, timeProvider.GetTimestamp(), stoppingToken));
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        finally
        {
            _events.Writer.TryWrite(new SocketEvent(EventKind.Closed, connection));
        }
    }

    private async Task AcknowledgeAsync(SocketModeConnection connection, SocketFrame envelope, long receivedAt, CancellationToken stoppingToken)
    {
        var envelopeId = envelope.EnvelopeId!;
        try
        {
            SlashCommandResponse? payload = null;
            SlashCommandRun? run = null;
            if (envelope.Type == "slash_commands" && ReadCommand(envelope.Payload) is { } command)
            {
                (run, var isNew) = _recent.GetOrAdd(envelopeId, () => runner.Start(command));
                if (isNew)
                {
                    payload = await runner.AcknowledgeAsync(run, receivedAt, envelope.AcceptsResponsePayload, stoppingToken);
                }
                else
                {
                    Log.EnvelopeRedelivered(logger, envelopeId);
                    payload = runner.AcknowledgeNow(run, envelope.AcceptsResponsePayload);
                }
            }
            else
            {
                // Events and interactions are not the bot's business, but unacknowledged they come back.
                Log.EnvelopeIgnored(logger, envelope.Type ?? "untyped");
            }

            var sent = await connection.SendAsync(JsonSerializer.Serialize(new SocketAck(envelopeId, payload), SlackJson.Context.SocketAck), stoppingToken);
            if (!sent && payload is not null && run is not null)
            {
                runner.AcknowledgementLost(run);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            Log.CommandFailed(logger, e, envelopeId);
        }
    }

    /// <summary>The slash command in an envelope, or null for one that cannot be read: that is acknowledged and ignored.</summary>
    private static SlashCommandPayload? ReadCommand(JsonElement? body)
    {
        try
        {
            return body is { } json ? JsonSerializer.Deserialize(json, SlackJson.Context.SlashCommandPayload) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Enough failures for the wait to have reached <see cref="SlackOptions.MaxReconnectDelay"/>.</summary>
    private const int MaxDoublings = 30;

    private TimeSpan NextBackoff()
    {
        var wait = Backoff(_reconnectFailures + 1);
        _reconnectFailures = Math.Min(_reconnectFailures + 1, MaxDoublings);
        return wait;
    }

    private TimeSpan Backoff(int attempt) => RetryBackoff.Doubling(options.Value.ReconnectDelay, attempt, options.Value.MaxReconnectDelay);

    private async Task CloseAllAsync()
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2), timeProvider);
        foreach (var connection in _live)
        {
            await connection.CloseAsync(patience.Token);
            await connection.DisposeAsync();
        }

        _live.Clear();
    }

    private sealed record SocketEvent(EventKind Kind, SocketModeConnection Connection, string? Reason = null);
}
