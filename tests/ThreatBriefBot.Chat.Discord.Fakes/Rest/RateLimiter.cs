using System.Security.Cryptography;
using System.Text;

namespace ThreatBriefBot.Chat.Discord.Fakes.Rest;

/// <summary>The state a response reports in its X-RateLimit-* headers.</summary>
internal readonly record struct BucketState(string Hash, int Limit, int Remaining, DateTimeOffset ResetAt, TimeSpan ResetAfter);

/// <summary>Why a request was refused with 429 and for how long.</summary>
internal sealed record Throttle(RateLimitKind Kind, TimeSpan RetryAfter);

/// <summary>
/// Discord's HTTP limits: one fixed-window bucket per route and major parameter (channel or webhook id), a global
/// per-second limit for bot requests, and scripted 429s that also block their scope for Retry-After, so a client that
/// retries early is refused again as Discord would.
/// </summary>
internal sealed class RateLimiter(FakeDiscordOptions options)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Queue<(RateLimitKind Kind, TimeSpan RetryAfter)> _scripted = new();
    private DateTimeOffset _globalWindowEnd;
    private int _globalCount;
    private DateTimeOffset _globalBlockedUntil;
    private RateLimitKind _globalBlockKind;

    public void FailNext(int count, RateLimitKind kind, TimeSpan retryAfter)
    {
        lock (_sync)
        {
            for (var i = 0; i < count; i++)
            {
                _scripted.Enqueue((kind, retryAfter));
            }
        }
    }

    /// <summary>The bucket's state without taking a request from it (for responses refused before rate limiting).</summary>
    public BucketState Peek(string route, string majorParameter)
    {
        lock (_sync)
        {
            var now = options.TimeProvider.GetUtcNow();
            return State(Get(route, majorParameter, now), now);
        }
    }

    /// <param name="global">Whether the request counts against the global limit (bot requests; not interaction callbacks or follow-ups).</param>
    public (BucketState State, Throttle? Throttle) Acquire(string route, string majorParameter, bool global)
    {
        lock (_sync)
        {
            var now = options.TimeProvider.GetUtcNow();
            var bucket = Get(route, majorParameter, now);
            if (_scripted.TryDequeue(out var scripted))
            {
                var until = now + scripted.RetryAfter;
                if (scripted.Kind is RateLimitKind.Global or RateLimitKind.Cloudflare)
                {
                    _globalBlockedUntil = until;
                    _globalBlockKind = scripted.Kind;
                }
                else
                {
                    bucket.BlockedUntil = until;
                    bucket.BlockKind = scripted.Kind;
                }

                return (Exhausted(bucket, now, scripted.RetryAfter), new Throttle(scripted.Kind, scripted.RetryAfter));
            }

            // A Cloudflare ban covers the whole IP, interaction routes included.
            if (now < _globalBlockedUntil && (global || _globalBlockKind == RateLimitKind.Cloudflare))
            {
                return (Exhausted(bucket, now, _globalBlockedUntil - now), new Throttle(_globalBlockKind, _globalBlockedUntil - now));
            }

            if (global)
            {

                if (now >= _globalWindowEnd)
                {
                    _globalWindowEnd = now + TimeSpan.FromSeconds(1);
                    _globalCount = 0;
                }

                if (_globalCount >= options.GlobalLimitPerSecond)
                {
                    return (State(bucket, now), new Throttle(RateLimitKind.Global, _globalWindowEnd - now));
                }

                _globalCount++;
            }

            if (now < bucket.BlockedUntil)
            {
                return (Exhausted(bucket, now, bucket.BlockedUntil - now), new Throttle(bucket.BlockKind, bucket.BlockedUntil - now));
            }

            if (bucket.Count >= bucket.Limit)
            {
                return (State(bucket, now), new Throttle(RateLimitKind.Route, bucket.ResetAt - now));
            }

            bucket.Count++;
            return (State(bucket, now), null);
        }
    }

    private Bucket Get(string route, string majorParameter, DateTimeOffset now)
    {
        var key = route + " " + majorParameter;
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            // Opaque like Discord's: the same hash for every major parameter of a route.
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(route)))[..16];
            bucket = new Bucket(hash, options.MessageBucketLimit);
            _buckets[key] = bucket;
        }

        if (now >= bucket.ResetAt)
        {
            bucket.Count = 0;
            bucket.ResetAt = now + options.MessageBucketWindow;
        }

        return bucket;
    }

    private static BucketState State(Bucket bucket, DateTimeOffset now) =>
        new(bucket.Hash, bucket.Limit, Math.Max(0, bucket.Limit - bucket.Count), bucket.ResetAt, bucket.ResetAt - now);

    private static BucketState Exhausted(Bucket bucket, DateTimeOffset now, TimeSpan retryAfter)
    {
        var resetAt = bucket.ResetAt > now + retryAfter ? bucket.ResetAt : now + retryAfter;
        return new BucketState(bucket.Hash, bucket.Limit, 0, resetAt, resetAt - now);
    }

    private sealed class Bucket(string hash, int limit)
    {
        public string Hash { get; } = hash;

        public int Limit { get; } = limit;

        public int Count { get; set; }

        public DateTimeOffset ResetAt { get; set; }

        public DateTimeOffset BlockedUntil { get; set; }

        public RateLimitKind BlockKind { get; set; }
    }
}
