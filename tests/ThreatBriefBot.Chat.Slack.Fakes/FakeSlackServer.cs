using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ThreatBriefBot.Chat.Slack.Fakes;

/// <summary>
/// Slack on loopback (platform-apis.md B11): the Web API under /api/, Socket Mode under /link/, response_url under
/// /commands/, incoming webhooks under /services/, and a signer that POSTs HTTP slash commands to an adapter.
/// Everything it is sent is recorded and checked against Slack's spec and Block Kit limits.
/// </summary>
public sealed partial class FakeSlackServer : IAsyncDisposable
{
    public const string BotToken = "xoxb-fake-bot-token";
    public const string AppToken = "xapp-fake-app-token";
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string TeamId = "T0FAKETEAM1";
    public const string TeamDomain = "fakeworkspace";
    public const string AppId = "A0FAKEAPP01";
    public const string BotUserId = "U0FAKEBOT01";
    public const string BotId = "B0FAKEBOT01";

    /// <summary>The deprecated verification token Slack still puts in slash-command payloads.</summary>
    public const string VerificationToken = "fakeVerificationToken0001";

    /// <summary>Longer text is truncated and posted with a message_truncated warning (platform-apis.md B2).</summary>
    public const int MaxTextLength = 40_000;

    private readonly FakeSlackOptions _options;
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<string> _schemaViolations = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Uri _root = new("http://127.0.0.1/");
    private int _channelCounter;
    private long _lastTsMicros;

    private FakeSlackServer(FakeSlackOptions options, WebApplication app)
    {
        _options = options;
        _app = app;
    }

    /// <summary>http://127.0.0.1:{port}/api/ (ends with '/').</summary>
    public Uri ApiBaseUrl => new(_root, "api/");

    /// <summary>Every HTTP request answered, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>"{where} #{json pointer}: {reason}" for every body that broke the spec's names/types or Block Kit limits.</summary>
    public IReadOnlyList<string> SchemaViolations
    {
        get
        {
            lock (_gate)
            {
                return [.. _schemaViolations];
            }
        }
    }

    public static async Task<FakeSlackServer> StartAsync(FakeSlackOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeSlackOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeSlackServer(options, app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = options.PingInterval });
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server._root = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Adds a channel; ids look like Slack's ("C0FAKE00001") and match the spec's ^[CGD][A-Z0-9]{8,}$.</summary>
    public string AddChannel(ChannelState state = ChannelState.Member)
    {
        lock (_gate)
        {
            var number = ++_channelCounter;
            var id = $"C0FAKE{number:D5}";
            _channels[id] = new Channel(state, $"threat-intel-{number}");
            return id;
        }
    }

    public void SetChannelState(string channelId, ChannelState state)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(channelId, out var channel))
            {
                throw new ArgumentException($"Unknown channel {channelId}; add it with AddChannel first.", nameof(channelId));
            }

            channel.State = state;
        }
    }

    /// <summary>Accepted chat.postMessage bodies for the channel, in order.</summary>
    public IReadOnlyList<RecordedMessage> Messages(string channelId)
    {
        lock (_gate)
        {
            return _channels.TryGetValue(channelId, out var channel) ? [.. channel.Messages] : [];
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds; it is re-checked whenever the fake records something
    /// (a request, a message, a socket opening or closing, an ack).
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        AbortSockets();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
        _stopping.Dispose();
    }

    private static string RandomToken(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);

    private static Reply Json(JsonObject body, int status = StatusCodes.Status200OK, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, "application/json; charset=utf-8", body.ToJsonString(), headers);

    private static Reply Text(int status, string body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, "text/plain; charset=utf-8", body, headers);

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static bool HasMessageContent(JsonElement body) =>
        !string.IsNullOrEmpty(MessageValidator.StringProperty(body, "text"))
        || (body.TryGetProperty("blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array && blocks.GetArrayLength() > 0)
        || (body.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array && attachments.GetArrayLength() > 0);

    /// <summary>Parses a JSON object body; null when it is not one.</summary>
    private static JsonElement? ParseObject(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Slack's "invalid_blocks"-style answer: the error plus every violation in errors and response_metadata.messages.</summary>
    private static JsonObject ViolationBody(string error, List<Violation> violations) => new()
    {
        ["ok"] = false,
        ["error"] = error,
        ["errors"] = new JsonArray([.. violations.Select(v => (JsonNode)JsonValue.Create(v.SlackMessage))]),
        ["response_metadata"] = new JsonObject
        {
            ["messages"] = new JsonArray([.. violations.Select(v => (JsonNode)JsonValue.Create("[ERROR] " + v.SlackMessage))]),
        },
    };

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/link", StringComparison.Ordinal))
        {
            await HandleSocketAsync(context);
            return;
        }

        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var reply = path switch
        {
            _ when path.StartsWith("/api/", StringComparison.Ordinal) => HandleWebApi(context.Request, path["/api/".Length..], body),
            _ when path.StartsWith("/services/", StringComparison.Ordinal) => HandleWebhook(context.Request, path, body),
            _ when path.StartsWith("/commands/", StringComparison.Ordinal) => HandleResponseUrl(context.Request, path, body),
            _ => Text(StatusCodes.Status404NotFound, "not_found"),
        };
        Record(context.Request, reply.Status, body);
        if (reply.Withheld)
        {
            // The call was carried out; the client hears nothing until it gives up or the fake stops.
            using var gone = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, gone.Token);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
            }

            return;
        }

        var response = context.Response;
        response.StatusCode = reply.Status;
        response.ContentType = reply.ContentType;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        await response.WriteAsync(reply.Body, context.RequestAborted);
    }

    private void Record(HttpRequest request, int status, string? body)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            _requests.Add(new RecordedRequest(request.Method, request.Path.Value + request.QueryString.Value, status, body, headers));
            SignalLocked();
        }
    }

    private void RecordViolations(string where, List<Violation> violations)
    {
        if (violations.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _schemaViolations.AddRange(violations.Select(v => $"{where} #{v.Pointer}: {v.Reason}"));
            SignalLocked();
        }
    }

    /// <summary>Wakes <see cref="WaitUntilAsync"/> callers; callers hold <see cref="_gate"/>.</summary>
    private void SignalLocked()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.SetResult();
    }

    /// <summary>A fresh message ts, "%10d.%06d", unique and increasing (microseconds since the epoch).</summary>
    private string NextTs()
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        long micros;
        lock (_gate)
        {
            _lastTsMicros = Math.Max(now, _lastTsMicros + 1);
            micros = _lastTsMicros;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{micros / 1_000_000:D10}.{micros % 1_000_000:D6}");
    }

    private ChannelState StateOf(string channelId)
    {
        lock (_gate)
        {
            return _channels.TryGetValue(channelId, out var channel) ? channel.State : ChannelState.Missing;
        }
    }

    private string ChannelName(string channelId)
    {
        lock (_gate)
        {
            return _channels.TryGetValue(channelId, out var channel) ? channel.Name : "unknown";
        }
    }

    private sealed class Channel(ChannelState state, string name)
    {
        public ChannelState State { get; set; } = state;

        public string Name { get; } = name;

        public List<RecordedMessage> Messages { get; } = [];
    }

    /// <param name="Withheld">Never sent: the connection is dropped when the client gives up.</param>
    private sealed record Reply(int Status, string ContentType, string Body, IReadOnlyDictionary<string, string>? Headers = null, bool Withheld = false);
}
