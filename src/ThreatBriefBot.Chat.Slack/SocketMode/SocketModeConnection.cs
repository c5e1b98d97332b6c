using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace ThreatBriefBot.Chat.Slack.SocketMode;

/// <summary>
/// One Socket Mode WebSocket: whole text messages in, sends one at a time (ClientWebSocket allows one
/// outstanding send), and the acknowledgements still being worked out, so a retiring connection can finish them
/// before it closes.
/// </summary>
internal sealed class SocketModeConnection(int number, ClientWebSocket socket) : IAsyncDisposable
{
    /// <summary>A larger message is not Slack's; the connection is dropped rather than buffered without end.</summary>
    private const int MaxMessageBytes = 4 * 1024 * 1024;

    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly ConcurrentDictionary<Task, bool> _pending = new();

    public int Number { get; } = number;

    /// <summary>Slack asked it to go (warning, refresh_requested, too_many_websockets); it closes once a successor says hello.</summary>
    public bool IsRetiring { get; set; }

    /// <summary>Sends a text message; false when the socket is gone, which the caller treats as not sent.</summary>
    public async Task<bool> SendAsync(string text, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            if (socket.State != WebSocketState.Open)
            {
                return false;
            }

            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
        {
            return false;
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Whole text messages until the socket closes or breaks (a broken socket just ends the sequence).</summary>
    public async IAsyncEnumerable<string> ReadMessagesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                message.SetLength(0);
                WebSocketReceiveResult? result;
                do
                {
                    result = await ReceiveAsync(buffer, cancellationToken);
                    if (result is null || result.MessageType == WebSocketMessageType.Close)
                    {
                        await AnswerCloseAsync(cancellationToken);
                        yield break;
                    }

                    message.Write(buffer, 0, result.Count);
                    if (message.Length > MaxMessageBytes)
                    {
                        socket.Abort();
                        yield break;
                    }
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    yield return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Keeps an acknowledgement in progress in view until it completes.</summary>
    public void Track(Task work)
    {
        ArgumentNullException.ThrowIfNull(work);
        _pending.TryAdd(work, true);
        work.ContinueWith(t => _pending.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Lets the acknowledgements in progress finish (up to <paramref name="patience"/>), then closes normally.</summary>
    public async Task RetireAsync(TimeSpan patience, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_pending.Keys).WaitAsync(patience, timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Slack redelivers what this connection did not acknowledge to the new one.
        }
        catch (OperationCanceledException)
        {
            // The bot is stopping; the connection is closed on the way out anyway.
            return;
        }

        await CloseAsync(cancellationToken);
    }

    /// <summary>Sends a normal close; never throws (a socket that is gone or busy past the token is left to dispose).</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _sendGate.WaitAsync(cancellationToken);
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                }
            }
            finally
            {
                _sendGate.Release();
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            // Already gone, or the bot is stopping: nothing more to close.
        }
    }

    /// <summary>Disposes the connection once the acknowledgements in progress have finished.</summary>
    public async Task DisposeWhenIdleAsync()
    {
        await Task.WhenAll(_pending.Keys);
        await DisposeAsync();
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        _sendGate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<WebSocketReceiveResult?> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            // A dropped connection or a missed keep-alive pong: the socket is dead.
            return null;
        }
    }

    private async Task AnswerCloseAsync(CancellationToken cancellationToken)
    {
        if (socket.State == WebSocketState.CloseReceived)
        {
            await CloseAsync(cancellationToken);
        }
    }
}
