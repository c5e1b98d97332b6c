using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Chat.Discord.Rest;

/// <summary>
/// A route as Discord limits it: requests on one route and major parameter (channel, guild, webhook) go one at a
/// time, and share a bucket with the other routes Discord names in <c>X-RateLimit-Bucket</c>.
/// </summary>
/// <param name="Template">"POST channels/{id}/messages": ids and tokens replaced.</param>
/// <param name="Major">"channels/123", "webhooks/1/tok", "interactions/9", or "".</param>
internal sealed record RateLimitRoute(string Template, string Major)
{
    public string Key => Template + " " + Major;

    public static RateLimitRoute For(HttpMethod method, string path)
    {
        var segments = path.Split('?')[0].Trim('/').Split('/');
        var major = "";
        var template = new string[segments.Length];
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var tokenPosition = i == 2 && segments[0] is "webhooks" or "interactions";
            template[i] = tokenPosition ? "{token}" : segment.Length > 0 && segment.All(char.IsAsciiDigit) ? "{id}" : segment;
        }

        if (segments.Length >= 2 && segments[0] is "channels" or "guilds")
        {
            major = $"{segments[0]}/{segments[1]}";
        }
        else if (segments.Length >= 3 && segments[0] is "webhooks" or "interactions")
        {
            // Each interaction and each webhook has its own limits; an interaction's token is one-use, so its id suffices.
            major = segments[0] == "webhooks" ? $"webhooks/{segments[1]}/{segments[2]}" : $"interactions/{segments[1]}";
        }

        return new RateLimitRoute($"{method.Method} {string.Join('/', template)}", major);
    }
}

/// <summary>
/// The bot refused to call Discord, to stay clear of its invalid-request ban: nothing was sent, and retrying at
/// once would be refused the same way.
/// </summary>
internal sealed class InvalidRequestLimitException(string message) : HttpRequestException(message);

/// <summary>
/// Discord's rate limits on <see cref="TimeProvider"/>: per-bucket Remaining/Reset-After honoured before sending,
/// the global 50 requests per second, 429s (route, global, shared), and a guard that stops calling Discord long
/// before its 10,000 invalid requests in 10 minutes would ban the IP.
/// </summary>
internal sealed class DiscordRateLimiter(TimeProvider timeProvider, IOptions<DiscordOptions> options)
{
    /// <summary>Added to every reset, as discord.js does: Discord's clock and ours are not the same clock.</summary>
    public static readonly TimeSpan ResetMargin = TimeSpan.FromMilliseconds(50);

    public static readonly TimeSpan InvalidRequestWindow = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan GlobalWindow = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _bucketOfRoute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BucketState> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RouteQueue> _queues = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _invalidRequests = new();
    private DateTimeOffset _globalBlockedUntil;
    private DateTimeOffset _globalWindowStart;
    private int _globalWindowCount;

    /// <summary>
    /// Set after a 401 to a bot request: Discord says to stop using a token it rejected, so later bot requests fail
    /// at once instead of adding to the invalid-request count.
    /// </summary>
    public bool TokenRejected { get; set; }

    /// <summary>401, 403 and non-shared 429 responses in the last ten minutes.</summary>
    public int InvalidRequestCount
    {
        get
        {
            lock (_gate)
            {
                PruneInvalid(timeProvider.GetUtcNow());
                return _invalidRequests.Count;
            }
        }
    }

    /// <summary>
    /// Waits until the route may send: its turn in the route's queue, then its bucket and the global limit. The
    /// lease holds the route's turn until disposed, after <see cref="Update"/> has read the response.
    /// </summary>
    /// <param name="global">False for interaction callbacks and follow-ups, which Discord exempts from the global limit.</param>
    public async Task<IDisposable> AcquireAsync(RateLimitRoute route, bool global, CancellationToken cancellationToken)
    {
        ThrowIfTooManyInvalid();
        RouteQueue queue;
        lock (_gate)
        {
            if (!_queues.TryGetValue(route.Key, out queue!))
            {
                queue = new RouteQueue();
                _queues[route.Key] = queue;
            }

            queue.Users++;
        }

        var lease = new Lease(this, route.Key, queue);
        try
        {
            await queue.Turn.WaitAsync(cancellationToken);
            lease.Entered = true;
            while (Reserve(route, global) is { } wait)
            {
                await Task.Delay(wait, timeProvider, cancellationToken);
            }

            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Learns from a response: the route's bucket, its remaining requests and reset, a 429's wait, and whether it
    /// counts toward the invalid-request limit. Returns how long to wait before retrying a 429, else null.
    /// </summary>
    public TimeSpan? Update(RateLimitRoute route, HttpResponseMessage response, DiscordErrorBody? body)
    {
        ArgumentNullException.ThrowIfNull(response);
        var now = timeProvider.GetUtcNow();
        var scope = Header(response, "X-RateLimit-Scope");
        lock (_gate)
        {
            if (Header(response, "X-RateLimit-Bucket") is { Length: > 0 } bucket)
            {
                _bucketOfRoute[route.Template] = bucket;
            }

            var status = (int)response.StatusCode;
            // A 429 without Discord's JSON body comes from Cloudflare in front of Discord, and bans the whole IP.
            var global = status == 429 && (body is null || body.Global == true || Header(response, "X-RateLimit-Global") == "true" || scope == "global");

            // A global or shared-resource 429 says nothing about this route's bucket.
            var state = StateOf(route, create: true)!;
            if (!global && scope != "shared"
                && Number(response, "X-RateLimit-Remaining") is { } remaining && Number(response, "X-RateLimit-Reset-After") is { } resetAfter)
            {
                state.Remaining = (int)remaining;
                state.ResetAt = now + TimeSpan.FromSeconds(resetAfter) + ResetMargin;
            }

            var invalid = status is 401 or 403 || (status == 429 && scope != "shared");
            if (invalid)
            {
                _invalidRequests.Enqueue(now);
                PruneInvalid(now);
            }

            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                PruneIdleBuckets(now);
                return null;
            }

            // The JSON retry_after has decimals; Retry-After is whole seconds.
            var retryAfter = (RetryAfterHeader.FromSeconds(body?.RetryAfter)
                ?? RetryAfterHeader.Parse(response.Headers.RetryAfter, timeProvider)
                ?? TimeSpan.FromSeconds(1)) + ResetMargin;
            if (global)
            {
                _globalBlockedUntil = Max(_globalBlockedUntil, now + retryAfter);
            }
            else if (scope != "shared")
            {
                // Also a sublimit the headers did not announce: this bucket waits.
                state.Remaining = 0;
                state.ResetAt = Max(state.ResetAt, now + retryAfter);
            }

            return retryAfter;
        }
    }

    private TimeSpan? Reserve(RateLimitRoute route, bool global)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (global && _globalBlockedUntil > now)
            {
                return _globalBlockedUntil - now;
            }

            var state = StateOf(route, create: false);
            if (state is { Remaining: <= 0 } && state.ResetAt > now)
            {
                return state.ResetAt - now;
            }

            if (global)
            {
                if (now - _globalWindowStart >= GlobalWindow)
                {
                    _globalWindowStart = now;
                    _globalWindowCount = 0;
                }

                if (_globalWindowCount >= options.Value.GlobalRequestsPerSecond)
                {
                    return _globalWindowStart + GlobalWindow - now;
                }

                _globalWindowCount++;
            }

            if (state is not null && state.ResetAt > now)
            {
                state.Remaining--;
            }

            return null;
        }
    }

    private void ThrowIfTooManyInvalid()
    {
        var count = InvalidRequestCount;
        if (count >= options.Value.InvalidRequestLimit)
        {
            throw new InvalidRequestLimitException(
                $"Not calling Discord: {count} requests were refused (401/403/429) in the last 10 minutes, and Discord bans the " +
                $"IP at 10,000 (limit {DiscordOptions.SectionName}:InvalidRequestLimit = {options.Value.InvalidRequestLimit}).");
        }
    }

    private BucketState? StateOf(RateLimitRoute route, bool create)
    {
        var key = (_bucketOfRoute.TryGetValue(route.Template, out var bucket) ? bucket : route.Template) + " " + route.Major;
        if (!_buckets.TryGetValue(key, out var state) && create)
        {
            state = new BucketState();
            _buckets[key] = state;
        }

        return state;
    }

    private void PruneInvalid(DateTimeOffset now)
    {
        while (_invalidRequests.TryPeek(out var oldest) && now - oldest >= InvalidRequestWindow)
        {
            _invalidRequests.Dequeue();
        }
    }

    /// <summary>Every interaction and channel adds a bucket; forget those whose window is long over.</summary>
    private void PruneIdleBuckets(DateTimeOffset now)
    {
        if (_buckets.Count < 1024)
        {
            return;
        }

        foreach (var (key, state) in _buckets.Where(b => now - b.Value.ResetAt > TimeSpan.FromMinutes(1)).ToList())
        {
            _buckets.Remove(key);
        }
    }

    private void Leave(string key, RouteQueue queue, bool entered)
    {
        if (entered)
        {
            queue.Turn.Release();
        }

        lock (_gate)
        {
            if (--queue.Users == 0)
            {
                _queues.Remove(key);
                queue.Turn.Dispose();
            }
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static double? Number(HttpResponseMessage response, string name) =>
        double.TryParse(Header(response, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private sealed class BucketState
    {
        public int Remaining { get; set; } = 1;

        public DateTimeOffset ResetAt { get; set; }
    }

    private sealed class RouteQueue
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Lease(DiscordRateLimiter limiter, string key, RouteQueue queue) : IDisposable
    {
        private int _disposed;

        public bool Entered { get; set; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                limiter.Leave(key, queue, Entered);
            }
        }
    }
}
