using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Chat.Discord.Rest;

namespace ThreatBriefBot.Chat.Discord.Tests.Rest;

public sealed class DiscordRateLimiterTests
{
    private static readonly RateLimitRoute Channel1 = RateLimitRoute.For(HttpMethod.Post, "channels/1/messages");
    private static readonly RateLimitRoute Channel2 = RateLimitRoute.For(HttpMethod.Post, "channels/2/messages");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
    private readonly DiscordOptions _options = new() { GlobalRequestsPerSecond = 50, InvalidRequestLimit = 1000 };

    private DiscordRateLimiter Limiter() => new(_time, Options.Create(_options));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("POST", "channels/123/messages", "POST channels/{id}/messages", "channels/123")]
    [InlineData("PUT", "applications/1/guilds/2/commands", "PUT applications/{id}/guilds/{id}/commands", "")]
    [InlineData("POST", "webhooks/5/tok-en?wait=true", "POST webhooks/{id}/{token}", "webhooks/5/tok-en")]
    [InlineData("PATCH", "webhooks/1/itoken/messages/@original", "PATCH webhooks/{id}/{token}/messages/@original", "webhooks/1/itoken")]
    [InlineData("POST", "interactions/9/itoken/callback", "POST interactions/{id}/{token}/callback", "interactions/9")]
    [InlineData("GET", "gateway/bot", "GET gateway/bot", "")]
    public void For_Path_TemplateAndMajorParameter(string method, string path, string template, string major)
    {
        var route = RateLimitRoute.For(new HttpMethod(method), path);

        Assert.Equal(template, route.Template);
        Assert.Equal(major, route.Major);
    }

    [Fact]
    public async Task AcquireAsync_BucketExhausted_WaitsForResetAfterBeforeSending()
    {
        var limiter = Limiter();
        using (await limiter.AcquireAsync(Channel1, global: true, Token))
        {
            using var response = Response(HttpStatusCode.OK, remaining: "0", resetAfter: "1.5");
            Assert.Null(limiter.Update(Channel1, response, null));
        }

        var next = limiter.AcquireAsync(Channel1, global: true, Token);
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(next.IsCompleted);
        _time.Advance(DiscordRateLimiter.ResetMargin);
        (await next.WaitAsync(TimeSpan.FromSeconds(5), Token)).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_OtherChannel_NotHeldByAnExhaustedBucket()
    {
        var limiter = Limiter();
        using (await limiter.AcquireAsync(Channel1, global: true, Token))
        {
            using var response = Response(HttpStatusCode.OK, remaining: "0", resetAfter: "5", bucket: "msg");
            limiter.Update(Channel1, response, null);
        }

        var other = limiter.AcquireAsync(Channel2, global: true, Token);

        Assert.True(other.IsCompleted);
        (await other).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_RemainingCountsDownLocally_WaitsWhenSpent()
    {
        var limiter = Limiter();
        using (await limiter.AcquireAsync(Channel1, global: true, Token))
        {
            using var response = Response(HttpStatusCode.OK, remaining: "2", resetAfter: "1");
            limiter.Update(Channel1, response, null);
        }

        (await limiter.AcquireAsync(Channel1, global: true, Token)).Dispose();
        (await limiter.AcquireAsync(Channel1, global: true, Token)).Dispose();
        var third = limiter.AcquireAsync(Channel1, global: true, Token);

        Assert.False(third.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1) + DiscordRateLimiter.ResetMargin);
        (await third.WaitAsync(TimeSpan.FromSeconds(5), Token)).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_SameRoute_OneAtATime()
    {
        var limiter = Limiter();
        var first = await limiter.AcquireAsync(Channel1, global: true, Token);

        var second = limiter.AcquireAsync(Channel1, global: true, Token);
        Assert.False(second.IsCompleted);
        first.Dispose();

        (await second.WaitAsync(TimeSpan.FromSeconds(5), Token)).Dispose();
    }

    [Fact]
    public async Task AcquireAsync_GlobalLimitReached_WaitsForTheNextSecond()
    {
        _options.GlobalRequestsPerSecond = 3;
        var limiter = Limiter();
        for (var i = 0; i < 3; i++)
        {
            (await limiter.AcquireAsync(RateLimitRoute.For(HttpMethod.Post, $"channels/{i}/messages"), global: true, Token)).Dispose();
        }

        var fourth = limiter.AcquireAsync(Channel1, global: true, Token);
        var interaction = limiter.AcquireAsync(RateLimitRoute.For(HttpMethod.Post, "interactions/1/t/callback"), global: false, Token);

        Assert.False(fourth.IsCompleted);
        Assert.True(interaction.IsCompleted, "interaction callbacks are not bound to the global limit");
        (await interaction).Dispose();
        _time.Advance(TimeSpan.FromSeconds(1));
        (await fourth.WaitAsync(TimeSpan.FromSeconds(5), Token)).Dispose();
    }

    [Fact]
    public async Task Update_Global429_HoldsEveryRouteForRetryAfter()
    {
        var limiter = Limiter();
        TimeSpan? wait;
        using (await limiter.AcquireAsync(Channel1, global: true, Token))
        {
            using var response = Response(HttpStatusCode.TooManyRequests, scope: "global");
            wait = limiter.Update(Channel1, response, new DiscordErrorBody(null, "You are being rate limited.", 2.5, true));
        }

        var other = limiter.AcquireAsync(Channel2, global: true, Token);

        Assert.Equal(TimeSpan.FromSeconds(2.5) + DiscordRateLimiter.ResetMargin, wait);
        Assert.False(other.IsCompleted);
        _time.Advance(wait!.Value);
        (await other.WaitAsync(TimeSpan.FromSeconds(5), Token)).Dispose();
        Assert.Equal(1, limiter.InvalidRequestCount);
    }

    [Fact]
    public async Task Update_429WithoutJsonBody_CloudflareBanHoldsEveryRoute()
    {
        var limiter = Limiter();
        TimeSpan? wait;
        using (await limiter.AcquireAsync(Channel1, global: true, Token))
        {
            using var response = Response(HttpStatusCode.TooManyRequests);
            response.Headers.Add("Retry-After", "2");
            wait = limiter.Update(Channel1, response, null);
        }

        var other = limiter.AcquireAsync(Channel2, global: true, Token);

        Assert.Equal(TimeSpan.FromSeconds(2) + DiscordRateLimiter.ResetMargin, wait);
        Assert.False(other.IsCompleted);
        _time.Advance(wait!.Value);
        (await other.WaitAsync(TimeSpan.FromSeconds(5), Token)).Dispose();
    }

    [Fact]
    public async Task Update_Route429WithoutHeaders_BucketWaitsRetryAfter()
    {
        var limiter = Limiter();
        using (await limiter.AcquireAsync(Channel1, global: true, Token))
        {
            using var response = Response(HttpStatusCode.TooManyRequests, scope: "user");
            limiter.Update(Channel1, response, new DiscordErrorBody(null, null, 0.75, false));
        }

        var next = limiter.AcquireAsync(Channel1, global: true, Token);

        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.75) + DiscordRateLimiter.ResetMargin);
        (await next.WaitAsync(TimeSpan.FromSeconds(5), Token)).Dispose();
    }

    [Fact]
    public async Task Update_Shared429_RetryButNotInvalidNorBucketExhausted()
    {
        var limiter = Limiter();
        TimeSpan? wait;
        using (await limiter.AcquireAsync(Channel1, global: true, Token))
        {
            using var response = Response(HttpStatusCode.TooManyRequests, remaining: "0", resetAfter: "5", scope: "shared");
            wait = limiter.Update(Channel1, response, new DiscordErrorBody(null, "The resource is being rate limited.", 1, false));
        }

        Assert.NotNull(wait);
        Assert.Equal(0, limiter.InvalidRequestCount);
        Assert.True(limiter.AcquireAsync(Channel1, global: true, Token).IsCompleted);
    }

    [Fact]
    public async Task Update_BucketHeaderSharedByTwoRoutes_OneStateForBoth()
    {
        var limiter = Limiter();
        var edit = RateLimitRoute.For(HttpMethod.Patch, "channels/1/messages/5");
        foreach (var (route, remaining) in new[] { (Channel1, "4"), (edit, "0") })
        {
            using (await limiter.AcquireAsync(route, global: true, Token))
            {
                using var response = Response(HttpStatusCode.OK, remaining: remaining, resetAfter: "3", bucket: "shared-bucket");
                limiter.Update(route, response, null);
            }
        }

        Assert.False(limiter.AcquireAsync(Channel1, global: true, Token).IsCompleted);
    }

    [Fact]
    public async Task AcquireAsync_InvalidRequestLimitReached_FailsFastUntilTheWindowSlides()
    {
        _options.InvalidRequestLimit = 3;
        var limiter = Limiter();
        for (var i = 0; i < 3; i++)
        {
            var route = RateLimitRoute.For(HttpMethod.Post, $"channels/{i}/messages");
            using (await limiter.AcquireAsync(route, global: true, Token))
            {
                using var response = Response(HttpStatusCode.Forbidden);
                limiter.Update(route, response, new DiscordErrorBody(50013, "Missing Permissions", null, null));
            }
        }

        var refused = await Assert.ThrowsAsync<InvalidRequestLimitException>(() => limiter.AcquireAsync(Channel1, global: true, Token));
        Assert.Contains("InvalidRequestLimit", refused.Message, StringComparison.Ordinal);

        _time.Advance(DiscordRateLimiter.InvalidRequestWindow);
        (await limiter.AcquireAsync(Channel1, global: true, Token)).Dispose();
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string? remaining = null, string? resetAfter = null, string? bucket = null, string? scope = null)
    {
        var response = new HttpResponseMessage(status);
        if (remaining is not null)
        {
            response.Headers.Add("X-RateLimit-Limit", "5");
            response.Headers.Add("X-RateLimit-Remaining", remaining);
            response.Headers.Add("X-RateLimit-Reset-After", resetAfter);
        }

        if (bucket is not null)
        {
            response.Headers.Add("X-RateLimit-Bucket", bucket);
        }

        if (scope is not null)
        {
            response.Headers.Add("X-RateLimit-Scope", scope);
        }

        return response;
    }
}
