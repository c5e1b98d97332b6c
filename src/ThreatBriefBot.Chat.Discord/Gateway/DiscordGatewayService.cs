using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Discord.Interactions;
using ThreatBriefBot.Chat.Discord.Rest;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Chat.Discord.Gateway;

/// <summary>
/// Receives slash commands over Discord's Gateway v10: Hello, Identify (no intents), heartbeats with ACK-based
/// zombie detection, Resume, Reconnect (op 7), Invalid Session (op 9) and every close code as the docs say. A
/// fatal close code stops this service with a clear error; the rest of the bot keeps running. It never throws out
/// of <see cref="ExecuteAsync"/>: that would stop the host.
/// </summary>
internal sealed class DiscordGatewayService(
    DiscordRestClient rest,
    DiscordCommands commands,
    DiscordInteractionHandler interactions,
    IOptions<DiscordOptions> options,
    TimeProvider timeProvider,
    ILogger<DiscordGatewayService> logger) : BackgroundService
{
    /// <summary>How long the server has to answer our close frame at shutdown.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private Uri? _gatewayUrl;
    private string? _sessionId;
    private Uri? _resumeUrl;
    private int? _sequence;

    /// <summary>Why the gateway stopped for good (a fatal close code), or null while it runs.</summary>
    public string? StoppedBecause { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await commands.RegisterAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Commands registered earlier still work; receiving them is worth trying.
            Log.CommandRegistrationFailed(logger, e);
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            SessionEnd end;
            try
            {
                end = await RunConnectionAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (ChatDeliveryException e) when (e.Failure == ChatDeliveryFailure.NotAuthorized)
            {
                // GET gateway/bot was refused with 401: retrying with the same token only adds to the ban count.
                end = new SessionEnd(Next.Stop, Healthy: false, $"Discord rejected {DiscordOptions.SectionName}:BotToken (401)");
            }
            catch (Exception e)
            {
                Log.GatewayConnectionFailed(logger, e);
                end = new SessionEnd(Next.Resume, Healthy: false);
            }

            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (end.Next == Next.Stop)
            {
                StoppedBecause = end.Reason;
                Log.GatewayStopped(logger, end.Reason ?? "");
                return;
            }

            failures = end.Healthy ? 0 : failures + 1;
            var delay = failures == 0
                ? TimeSpan.Zero
                : RetryBackoff.Doubling(options.Value.ReconnectDelay, failures, options.Value.MaxReconnectDelay);
            try
            {
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<SessionEnd> RunConnectionAsync(CancellationToken stoppingToken)
    {
        var resuming = _sessionId is not null && _resumeUrl is not null && _sequence is not null;
        var url = WithQuery(resuming ? _resumeUrl! : await GatewayUrlAsync(stoppingToken));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, stoppingToken);
        Log.GatewayConnected(logger, url, resuming);

        // Not linked to the stopping token: at shutdown the socket closes with 1000 (the session ends and the bot
        // shows offline) and the receive loop reads the server's answer, or gives up after the grace period.
        using var connection = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        var link = new Connection(socket);
        await using var shutdown = stoppingToken.Register(() => _ = CloseAsync(link, WebSocketCloseStatus.NormalClosure, connection));
        Task? heartbeat = null;
        var healthy = false;
        try
        {
            while (true)
            {
                var payload = await ReceiveAsync(socket, connection.Token);
                if (payload is null)
                {
                    return OnClose((int?)socket.CloseStatus, socket.CloseStatusDescription, healthy);
                }

                if (payload.S is { } sequence)
                {
                    _sequence = sequence;
                }

                switch (payload.Op)
                {
                    case GatewayOpcode.Hello:
                        var interval = TimeSpan.FromMilliseconds(payload.D!.Value.Deserialize(DiscordJsonContext.Default.HelloData)!.HeartbeatInterval);
                        heartbeat = HeartbeatAsync(link, interval, connection.Token);
                        await (resuming
                            ? SendAsync(link, new ResumePayload(new ResumeData(options.Value.BotToken!, _sessionId!, _sequence!.Value)), DiscordJsonContext.Default.ResumePayload, connection.Token)
                            : SendAsync(link, new IdentifyPayload(Identify()), DiscordJsonContext.Default.IdentifyPayload, connection.Token));
                        break;
                    case GatewayOpcode.HeartbeatAck:
                        link.Acknowledged = true;
                        break;
                    case GatewayOpcode.Heartbeat:
                        // The server asks for one now; sent whatever the schedule says.
                        await SendAsync(link, new HeartbeatPayload(_sequence), DiscordJsonContext.Default.HeartbeatPayload, connection.Token);
                        break;
                    case GatewayOpcode.Reconnect:
                        Log.GatewayReconnectRequested(logger);
                        await CloseAsync(link, ResumableClose, null);
                        return new SessionEnd(Next.Resume, healthy);
                    case GatewayOpcode.InvalidSession:
                        var resumable = payload.D is { ValueKind: JsonValueKind.True };
                        Log.GatewaySessionInvalidated(logger, resumable);
                        if (!resumable)
                        {
                            ForgetSession();
                        }

                        await CloseAsync(link, ResumableClose, null);
                        // Before READY this backs off: Discord sends op 9 when identifies come too fast.
                        return new SessionEnd(resumable ? Next.Resume : Next.Identify, healthy);
                    case GatewayOpcode.Dispatch:
                        healthy |= OnDispatch(payload, stoppingToken);
                        break;
                }
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is WebSocketException or OperationCanceledException)
        {
            // A drop without a close frame, or our own abort of a zombie: the session can be resumed.
            if (link.Zombie)
            {
                Log.GatewayZombie(logger);
            }
            else
            {
                Log.GatewayDropped(logger, e.Message);
            }

            return new SessionEnd(Next.Resume, healthy);
        }
        finally
        {
            await connection.CancelAsync();
            if (heartbeat is not null)
            {
                await heartbeat.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Any close code but 1000/1001 keeps the session resumable; 4000 is "unknown error", ours.</summary>
    private const WebSocketCloseStatus ResumableClose = (WebSocketCloseStatus)4000;

    /// <returns>True when the session is (again) ready: READY or RESUMED.</returns>
    private bool OnDispatch(GatewayPayload payload, CancellationToken stoppingToken)
    {
        switch (payload.T)
        {
            case "READY":
                var ready = payload.D!.Value.Deserialize(DiscordJsonContext.Default.ReadyData)!;
                _sessionId = ready.SessionId;
                _resumeUrl = new Uri(ready.ResumeGatewayUrl);
                Log.GatewayReady(logger, ready.SessionId);
                return true;
            case "RESUMED":
                Log.GatewayResumed(logger, _sessionId ?? "", _sequence ?? 0);
                return true;
            case "INTERACTION_CREATE":
                Interaction interaction;
                try
                {
                    interaction = payload.D!.Value.Deserialize(DiscordJsonContext.Default.Interaction)!;
                }
                catch (JsonException e)
                {
                    // One unreadable event must not cost the session.
                    Log.InteractionUnreadable(logger, e);
                    return false;
                }


                // Off the receive loop: a slow command must not delay heartbeats or other interactions.
                _ = Task.Run(
                    () => interactions.HandleAsync(
                        interaction,
                        async (response, ct) =>
                        {
                            var answer = await rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, response, ct);
                            if (!answer.IsSuccess)
                            {
                                throw new HttpRequestException($"Discord refused the response to interaction {interaction.Id}: {answer.Describe()}");
                            }
                        },
                        stoppingToken),
                    stoppingToken);
                return false;
            default:
                return false;
        }
    }

    private SessionEnd OnClose(int? code, string? description, bool healthy)
    {
        Log.GatewayClosed(logger, code ?? 0, description ?? "");
        switch (code)
        {
            case 4004:
                return Fatal($"authentication failed (close code 4004): Discord rejected {DiscordOptions.SectionName}:BotToken");
            case 4010:
                return Fatal("invalid shard (close code 4010)");
            case 4011:
                return Fatal("sharding required (close code 4011): the bot is in too many guilds for one connection");
            case 4012:
                return Fatal($"invalid API version (close code 4012): check {DiscordOptions.SectionName}:GatewayUrl");
            case 4013:
                return Fatal("invalid intents (close code 4013)");
            case 4014:
                return Fatal("disallowed intents (close code 4014): a privileged intent is not enabled for the application");
            case 4003 or 4005 or 4007 or 4009:
                // Not authenticated, authenticated twice, bad sequence, session timed out: start a new session.
                ForgetSession();
                return new SessionEnd(Next.Identify, healthy);
            default:
                return new SessionEnd(Next.Resume, healthy);
        }

        static SessionEnd Fatal(string reason) => new(Next.Stop, Healthy: false, reason);
    }

    private async Task HeartbeatAsync(Connection link, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            // Jittered first beat, so a fleet of reconnecting clients does not beat in step.
            await Task.Delay(interval * Random.Shared.NextDouble(), timeProvider, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!link.Acknowledged)
                {
                    // No ACK since the last beat: the connection is a zombie. Abort (no 1000) so the session resumes.
                    link.Zombie = true;
                    link.Socket.Abort();
                    return;
                }

                link.Acknowledged = false;
                await SendAsync(link, new HeartbeatPayload(_sequence), DiscordJsonContext.Default.HeartbeatPayload, cancellationToken);
                await Task.Delay(interval, timeProvider, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection is going away; the receive loop decides what comes next.
        }
    }

    private IdentifyData Identify() => new(
        options.Value.BotToken!,
        Intents: 0,
        new IdentifyProperties(OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "linux", "threatbriefbot", "threatbriefbot"));

    private void ForgetSession()
    {
        _sessionId = null;
        _resumeUrl = null;
        _sequence = null;
    }

    /// <summary>The configured URL, else the one Discord gives (asked once; an empty setting counts as none).</summary>
    private async Task<Uri> GatewayUrlAsync(CancellationToken cancellationToken) =>
        _gatewayUrl ??= options.Value.GatewayUrl is { OriginalString.Length: > 0 } configured
            ? configured
            : new Uri((await rest.GetGatewayBotAsync(cancellationToken)).Url);

    /// <summary>url + "/?v=10&amp;encoding=json", replacing any query the configured URL had.</summary>
    internal static Uri WithQuery(Uri url)
    {
        var builder = new UriBuilder(url) { Query = "v=10&encoding=json" };
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return builder.Uri;
    }

    private static async Task<GatewayPayload?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return JsonSerializer.Deserialize(buffer.WrittenSpan, DiscordJsonContext.Default.GatewayPayload);
            }
        }
    }

    private static async Task SendAsync<T>(Connection link, T payload, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, type);

        // ClientWebSocket allows one send at a time; heartbeats, identify and answers to op 1 share the socket.
        await link.SendLock.WaitAsync(cancellationToken);
        try
        {
            await link.Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            link.SendLock.Release();
        }
    }

    private async Task CloseAsync(Connection link, WebSocketCloseStatus status, CancellationTokenSource? connection)
    {
        try
        {
            await link.SendLock.WaitAsync(CancellationToken.None);
            try
            {
                using var timeout = new CancellationTokenSource(CloseGrace, timeProvider);
                await link.Socket.CloseOutputAsync(status, null, timeout.Token);
            }
            finally
            {
                link.SendLock.Release();
            }

            connection?.CancelAfter(CloseGrace);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Already closed or broken: nothing to tell the server; stop waiting for its answer.
            try
            {
                connection?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The connection has ended already.
            }
        }
    }

    private enum Next
    {
        Resume,
        Identify,
        Stop,
    }

    /// <param name="Healthy">The session reached READY or RESUMED, so reconnecting starts again without backoff.</param>
    private sealed record SessionEnd(Next Next, bool Healthy, string? Reason = null);

    private sealed class Connection(ClientWebSocket socket)
    {
        public ClientWebSocket Socket { get; } = socket;

        public SemaphoreSlim SendLock { get; } = new(1, 1);

        public volatile bool Acknowledged = true;

        public volatile bool Zombie;
    }
}
