using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Tests.Http;

public sealed class HttpRetryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("3", 3)]
    [InlineData("0", 0)]
    [InlineData("999999999", 86_400)]
    public void Parse_Seconds_BoundedDelay(string header, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterHeader.Parse(Header(header), new FakeTimeProvider(Now)));

    [Theory]
    [InlineData(7, 7)]
    [InlineData(-30, 0)]
    public void Parse_HttpDate_TimeUntilThenNeverNegative(int offsetSeconds, int seconds) =>
        Assert.Equal(
            TimeSpan.FromSeconds(seconds),
            RetryAfterHeader.Parse(new RetryConditionHeaderValue(Now.AddSeconds(offsetSeconds)), new FakeTimeProvider(Now)));

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    [InlineData("-1")]
    [InlineData("0.25")]
    public void Parse_AbsentOrUnreadable_Null(string? header) =>
        Assert.Null(RetryAfterHeader.Parse(header is null ? null : Header(header), new FakeTimeProvider(Now)));

    [Theory]
    [InlineData(0.25, 250)]
    [InlineData(-3.0, 0)]
    [InlineData(1e12, 86_400_000)]
    public void FromSeconds_JsonRetryAfter_Bounded(double seconds, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RetryAfterHeader.FromSeconds(seconds));

    private static RetryConditionHeaderValue? Header(string value)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", value);
        return response.Headers.RetryAfter;
    }

    [Fact]
    public void Doubling_Failures_DoublesUpToTheCap() =>
        Assert.Equal(
            [1, 2, 4, 8, 16, 32, 60, 60],
            Enumerable.Range(1, 8).Select(n => RetryBackoff.Doubling(TimeSpan.FromSeconds(1), n, TimeSpan.FromMinutes(1)).TotalSeconds));
}
