using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NSec.Cryptography;
using ThreatBriefBot.Chat.Discord.Fakes.Rest;

namespace ThreatBriefBot.Chat.Discord.Fakes;

/// <summary>
/// Discord on loopback: REST (api/v10), Gateway v10 over WebSocket, and signed HTTP interactions, behaving as
/// platform-apis.md Part A documents, validating every body against the embedded OpenAPI subset plus the docs' limits.
/// </summary>
public sealed partial class FakeDiscordServer : IAsyncDisposable
{
    public const string BotToken = "fake-discord-bot-token";
    public const string ApplicationId = "100000000000000001";

    /// <summary>The bot user's id; for bots it equals the application id.</summary>
    public const string BotUserId = ApplicationId;

    public const string BotUsername = "ThreatBriefBot";

    private readonly FakeDiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly RateLimiter _rateLimiter;
    private readonly Snowflakes _snowflakes;
    private readonly Key _signingKey;
    private readonly HttpClient _outbound = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _sync = new();
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Webhook> _webhooks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeInteraction> _interactionsById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeInteraction> _interactionsByToken = new(StringComparer.Ordinal);
    private readonly List<FakeInteraction> _interactions = [];
    private readonly Dictionary<string, List<JsonElement>> _commands = new(StringComparer.Ordinal);
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<string> _violations = [];
    private readonly Queue<ServerFault> _faults = new();
    private WebApplication? _app;
    private int _invalidRequests;
    private int _rateLimited;

    private FakeDiscordServer(FakeDiscordOptions options)
    {
        _options = options;
        _time = options.TimeProvider;
        _rateLimiter = new RateLimiter(options);
        _snowflakes = new Snowflakes(_time);
        _signingKey = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None });
        PublicKeyHex = Convert.ToHexStringLower(_signingKey.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>http://127.0.0.1:{port}/api/v10/ (ends with '/').</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>ws://127.0.0.1:{port}/gateway; GET gateway/bot returns it too.</summary>
    public Uri GatewayUrl { get; private set; } = null!;

    /// <summary>The resume_gateway_url sent in READY: ws://127.0.0.1:{port}/resume.</summary>
    public Uri ResumeGatewayUrl { get; private set; } = null!;

    /// <summary>Ed25519 public key (64 hex chars) the fake signs HTTP interactions with.</summary>
    public string PublicKeyHex { get; }

    /// <summary>Every REST request (not WebSocket upgrades), in the order they completed.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_sync)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>
    /// Every refused body or protocol slip, as "METHOD path: pointer: CODE: message": OpenAPI schema failures, the
    /// docs' stricter limits, empty messages, wrong User-Agent/Content-Type, unversioned paths, malformed gateway
    /// payloads. Tests assert it is empty.
    /// </summary>
    public IReadOnlyList<string> SchemaViolations
    {
        get
        {
            lock (_sync)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>401, 403 and 429 responses served, except 429s with scope shared: Discord's Cloudflare-ban counter.</summary>
    public int InvalidRequests => Volatile.Read(ref _invalidRequests);

    public int RateLimitedResponses => Volatile.Read(ref _rateLimited);

    /// <summary>Every interaction sent (gateway or HTTP), in order.</summary>
    public IReadOnlyList<FakeInteraction> Interactions
    {
        get
        {
            lock (_sync)
            {
                return [.. _interactions];
            }
        }
    }

    public static async Task<FakeDiscordServer> StartAsync(FakeDiscordOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new FakeDiscordServer(options ?? new FakeDiscordOptions());
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        // No server pings: the gateway's liveness is op 1/op 11, which is what the adapter must implement.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(server.HandleAsync);
        server._app = app;
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        server.ApiBaseUrl = new Uri($"http://127.0.0.1:{address.Port}/api/v10/");
        server.GatewayUrl = new Uri($"ws://127.0.0.1:{address.Port}/gateway");
        server.ResumeGatewayUrl = new Uri($"ws://127.0.0.1:{address.Port}/resume");
        return server;
    }

    /// <summary>Adds a text channel the bot can see; returns its snowflake id.</summary>
    public string AddChannel(ChannelState state = ChannelState.Writable)
    {
        var id = _snowflakes.Next();
        lock (_sync)
        {
            _channels[id] = new Channel { State = state };
        }

        return id;
    }

    public void SetChannelState(string channelId, ChannelState state)
    {
        lock (_sync)
        {
            if (!_channels.TryGetValue(channelId, out var channel))
            {
                throw new ArgumentException($"No channel {channelId}; add it with AddChannel first.", nameof(channelId));
            }

            channel.State = state;
        }
    }

    /// <summary>Messages accepted by POST channels/{id}/messages, in order (webhook messages are in <see cref="WebhookMessages"/>).</summary>
    public IReadOnlyList<RecordedMessage> Messages(string channelId)
    {
        lock (_sync)
        {
            return _channels.TryGetValue(channelId, out var channel) ? [.. channel.Messages] : [];
        }
    }

    /// <summary>Adds an incoming webhook (in a new channel unless one is given).</summary>
    /// <returns>Url = {ApiBaseUrl}webhooks/{id}/{token}; users paste the unversioned https://discord.com/api/webhooks/{id}/{token} form.</returns>
    public (string Id, string Token, Uri Url) AddWebhook(string? channelId = null)
    {
        channelId ??= AddChannel();
        var id = _snowflakes.Next();
        var token = RandomToken(68);
        lock (_sync)
        {
            if (!_channels.ContainsKey(channelId))
            {
                throw new ArgumentException($"No channel {channelId}; add it with AddChannel first.", nameof(channelId));
            }

            _webhooks[id] = new Webhook(id, token, channelId);
        }

        return (id, token, new Uri(ApiBaseUrl, $"webhooks/{id}/{token}"));
    }

    public IReadOnlyList<RecordedMessage> WebhookMessages(string webhookId)
    {
        lock (_sync)
        {
            return _webhooks.TryGetValue(webhookId, out var webhook) ? [.. webhook.Messages] : [];
        }
    }

    /// <summary>The next <paramref name="count"/> REST requests get a 429 of this kind, and the scope stays blocked for <paramref name="retryAfter"/>.</summary>
    public void FailNext(int count, RateLimitKind kind, TimeSpan retryAfter) => _rateLimiter.FailNext(count, kind, retryAfter);

    /// <summary>The next <paramref name="count"/> REST requests (after any scripted 429s) fail with <paramref name="fault"/>.</summary>
    public void FailNextWith(int count, ServerFault fault)
    {
        lock (_sync)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>The commands of the last accepted bulk overwrite, as Discord returned them (ids, version, application_id filled).</summary>
    /// <param name="guildId">null for global commands.</param>
    public IReadOnlyList<JsonElement> RegisteredCommands(string? guildId = null)
    {
        lock (_sync)
        {
            return _commands.TryGetValue(guildId ?? "", out var commands) ? [.. commands] : [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync();
        AbortAllGatewayConnections();
        Task[] background;
        lock (_sync)
        {
            background = [.. _background];
        }

        // Scripted closes end on the cancelled token; let them finish before the objects they touch are disposed.
        await Task.WhenAll(background);
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _outbound.Dispose();
        _signingKey.Dispose();
        _shutdown.Dispose();
    }

    private static string RandomToken(int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return RandomNumberGenerator.GetString(Alphabet, length);
    }

    private void AddViolation(string where, string what)
    {
        lock (_sync)
        {
            _violations.Add($"{where}: {what}");
        }
    }

    private Task HandleAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        return path switch
        {
            "/gateway" => HandleGatewayAsync(context),
            "/resume" => HandleGatewayAsync(context),
            _ => HandleRestAsync(context),
        };
    }

    private sealed class Channel
    {
        public ChannelState State { get; set; }

        public List<RecordedMessage> Messages { get; } = [];

        /// <summary>Nonce → the message it created, its response and when, for enforce_nonce.</summary>
        public Dictionary<string, (string Response, DateTimeOffset At)> Nonces { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Webhook(string Id, string Token, string ChannelId)
    {
        public List<RecordedMessage> Messages { get; } = [];
    }
}
