using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatBriefBot.Chat.Slack.Fakes;

namespace ThreatBriefBot.Chat.Slack.Tests.FakeSlack;

/// <summary>Raw HTTP and WebSocket calls against the fake, so its self-tests depend on nothing but the wire.</summary>
internal static class FakeSlackTestKit
{
    public static FakeSlackOptions FastOptions() => new()
    {
        AckTimeout = TimeSpan.FromMilliseconds(300),
        PingInterval = TimeSpan.FromMilliseconds(200),
        DisconnectCloseDelay = TimeSpan.FromMilliseconds(200),
        RetryAfterSeconds = 0,
    };

    public static string DigestBody(string channel) => new JsonObject
    {
        ["channel"] = channel,
        ["text"] = "Daily digest: 2 items",
        ["unfurl_links"] = false,
        ["unfurl_media"] = false,
        ["blocks"] = new JsonArray(
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Daily digest" } },
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = "*Ransomware*: <https://example.test/a|Item A>" } },
            new JsonObject { ["type"] = "divider" },
            new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = "Generated 2026-08-06 12:00 UTC" }) }),
    }.ToJsonString();

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> CallAsync(
        HttpClient http, FakeSlackServer fake, string method, string? body, string? token = FakeSlackServer.BotToken,
        string contentType = "application/json; charset=utf-8")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fake.ApiBaseUrl, method));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(text);
        return (response, document.RootElement.Clone());
    }

    public static async Task<ClientWebSocket> ConnectAsync(HttpClient http, FakeSlackServer fake)
    {
        var (_, opened) = await CallAsync(http, fake, "apps.connections.open", null, FakeSlackServer.AppToken);
        Assert.True(opened.GetProperty("ok").GetBoolean(), opened.ToString());
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(opened.GetProperty("url").GetString()!), TestContext.Current.CancellationToken);
        return socket;
    }

    /// <summary>The next text frame as JSON.</summary>
    public static async Task<JsonElement> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                using var document = JsonDocument.Parse(message.ToArray());
                return document.RootElement.Clone();
            }
        }
    }

    public static Task SendAsync(WebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, TestContext.Current.CancellationToken);
}
