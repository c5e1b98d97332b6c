using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ThreatBriefBot.Chat.Discord.Tests.FakeDiscord;

/// <summary>A bare ClientWebSocket speaking gateway JSON, so the fake is checked without the adapter.</summary>
internal sealed class RawGateway : IDisposable
{
    private readonly ClientWebSocket _socket = new();

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<RawGateway> ConnectAsync(Uri url, CancellationToken cancellationToken, string query = "?v=10&encoding=json")
    {
        var gateway = new RawGateway();
        await gateway._socket.ConnectAsync(new Uri(url + "/" + query), cancellationToken);
        return gateway;
    }

    public Task SendAsync(string json, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>The next payload, or null when the server closed (then <see cref="CloseStatus"/> holds the code).</summary>
    public async Task<JsonElement?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        using var document = JsonDocument.Parse(message.ToArray());
        return document.RootElement.Clone();
    }

    /// <summary>Receives until a payload with this op (and dispatch type) arrives.</summary>
    public async Task<JsonElement> ReceiveOpAsync(int op, CancellationToken cancellationToken, string? type = null)
    {
        while (true)
        {
            var payload = await ReceiveAsync(cancellationToken) ?? throw new InvalidOperationException($"Closed with {CloseStatus} while waiting for op {op} {type}.");
            if (payload.GetProperty("op").GetInt32() == op && (type is null || payload.GetProperty("t").GetString() == type))
            {
                return payload;
            }
        }
    }

    /// <summary>Reads until the server's close frame and returns its code.</summary>
    public async Task<int?> ReceiveCloseAsync(CancellationToken cancellationToken)
    {
        while (await ReceiveAsync(cancellationToken) is not null)
        {
        }

        return (int?)CloseStatus;
    }

    public static string Identify(string token, long intents = 0) => new JsonObject
    {
        ["op"] = 2,
        ["d"] = new JsonObject
        {
            ["token"] = token,
            ["intents"] = intents,
            ["properties"] = new JsonObject { ["os"] = "linux", ["browser"] = "selftest", ["device"] = "selftest" },
        },
    }.ToJsonString();

    public static string Resume(string token, string sessionId, int seq) => new JsonObject
    {
        ["op"] = 6,
        ["d"] = new JsonObject { ["token"] = token, ["session_id"] = sessionId, ["seq"] = seq },
    }.ToJsonString();

    public void Dispose() => _socket.Dispose();
}
