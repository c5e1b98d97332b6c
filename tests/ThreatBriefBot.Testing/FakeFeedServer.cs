using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ThreatBriefBot.Testing;

/// <summary>
/// A feed publisher on loopback: serves fixed bodies with validators, answers conditional GETs with 304, can gzip,
/// and records every request so tests can check what the fetcher sent, and every 200 or 304 answer with its ETag so
/// tests can tell which version of a changing feed the client has.
/// </summary>
public sealed class FakeFeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Resource> _resources = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Path, RecordedRequest Request)> _requests = new();
    private readonly ConcurrentDictionary<string, int> _drops = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Path, ServedResponse Response)> _responses = new();
    private Uri _baseAddress = new("http://127.0.0.1/");
    private int _inFlight;
    private int _maxInFlight;

    private FakeFeedServer(WebApplication app) => _app = app;

    public sealed record RecordedRequest(string Method, IReadOnlyDictionary<string, string> Headers);

    /// <summary>A 200 (the body was sent) or a 304 (the client's copy is current), with the ETag of the version the client now has.</summary>
    public sealed record ServedResponse(int Status, string? ETag);

    private sealed record Resource(int Status, byte[] Body, string? ContentType, string? ETag, string? LastModified, bool Gzip)
    {
        public TimeSpan Delay { get; init; }

        public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

        /// <summary>When set, the body is sent 16 bytes at a time with this pause between, like a stalling server.</summary>
        public TimeSpan Trickle { get; init; }
    }

    /// <summary>The most requests this server had in flight at once, to check the client's limits.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    public static async Task<FakeFeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeFeedServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server._baseAddress = new Uri(address);
        return server;
    }

    /// <param name="gzip">Compress the body when the client accepts gzip.</param>
    /// <param name="headers">More response headers, e.g. Cache-Control.</param>
    /// <param name="delay">Wait this long before answering.</param>
    /// <param name="trickle">Send the body in small pieces with this pause between them.</param>
    public void Serve(string path, byte[] body, string contentType, string? etag = null, string? lastModified = null, bool gzip = false, IReadOnlyDictionary<string, string>? headers = null, TimeSpan delay = default, TimeSpan trickle = default) =>
        _resources[path] = new Resource(200, body, contentType, etag, lastModified, gzip) { Headers = headers ?? new Dictionary<string, string>(), Delay = delay, Trickle = trickle };

    /// <summary>Answers with a redirect to <paramref name="location"/> (relative or absolute).</summary>
    public void ServeRedirect(string path, int status, string location) =>
        _resources[path] = new Resource(status, [], null, null, null, false) { Headers = new Dictionary<string, string> { ["Location"] = location } };

    /// <summary>Answers only after <paramref name="delay"/>, to try the fetcher's timeout.</summary>
    public void ServeSlow(string path, byte[] body, string contentType, TimeSpan delay) =>
        _resources[path] = new Resource(200, body, contentType, null, null, false) { Delay = delay };

    public void ServeStatus(string path, int status, IReadOnlyDictionary<string, string>? headers = null) =>
        _resources[path] = new Resource(status, [], null, null, null, false) { Headers = headers ?? new Dictionary<string, string>() };

    /// <summary>The next <paramref name="count"/> requests for <paramref name="path"/> have their connection reset before any answer.</summary>
    public void DropNext(string path, int count) => _drops[path] = count;

    public Uri UrlFor(string path) => new(_baseAddress, path);

    public IReadOnlyList<RecordedRequest> RequestsFor(string path) =>
        [.. _requests.Where(r => r.Path == path).Select(r => r.Request)];

    /// <summary>The 200 and 304 answers for <paramref name="path"/>, in order; recorded before the body is written.</summary>
    public IReadOnlyList<ServedResponse> ResponsesFor(string path) =>
        [.. _responses.Where(r => r.Path == path).Select(r => r.Response)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        _requests.Enqueue((path, new RecordedRequest(request.Method,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase))));
        if (_drops.TryGetValue(path, out var drops) && drops > 0 && _drops.TryUpdate(path, drops - 1, drops))
        {
            context.Abort();
            return;
        }

        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            var max = Volatile.Read(ref _maxInFlight);
            while (inFlight > max && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max)
            {
                max = Volatile.Read(ref _maxInFlight);
            }

            await RespondAsync(context, path);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task RespondAsync(HttpContext context, string path)
    {
        var request = context.Request;
        if (!_resources.TryGetValue(path, out var resource))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (resource.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(resource.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = resource.Status;
        foreach (var (name, value) in resource.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (resource.Status != StatusCodes.Status200OK)
        {
            return;
        }

        if (resource.ETag is not null)
        {
            context.Response.Headers.ETag = resource.ETag;
        }

        if (resource.LastModified is not null)
        {
            context.Response.Headers.LastModified = resource.LastModified;
        }

        if ((resource.ETag is not null && request.Headers.IfNoneMatch.ToString() == resource.ETag)
            || (resource.LastModified is not null && request.Headers.IfModifiedSince.ToString() == resource.LastModified))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            _responses.Enqueue((path, new ServedResponse(StatusCodes.Status304NotModified, resource.ETag)));
            return;
        }

        context.Response.ContentType = resource.ContentType;
        var body = resource.Body;
        if (resource.Gzip && request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(body, context.RequestAborted);
            }

            body = compressed.ToArray();
            context.Response.Headers.ContentEncoding = "gzip";
        }

        context.Response.ContentLength = body.Length;
        _responses.Enqueue((path, new ServedResponse(StatusCodes.Status200OK, resource.ETag)));
        if (resource.Trickle <= TimeSpan.Zero)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
            return;
        }

        try
        {
            foreach (var piece in body.Chunk(16))
            {
                await context.Response.Body.WriteAsync(piece, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(resource.Trickle, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as it should.
        }
    }
}
