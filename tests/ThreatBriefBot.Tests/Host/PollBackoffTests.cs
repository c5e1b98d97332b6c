using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Tests.Host;

public class PollBackoffTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly PollingOptions Options = new() { FailureBackoff = TimeSpan.FromMinutes(5), MaxFailureBackoff = TimeSpan.FromHours(24) };

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(6, 160)]
    public void AfterFailure_EachFailure_DoublesTheWait(int failures, int minutes) =>
        Assert.Equal(Now.AddMinutes(minutes), PollBackoff.AfterFailure(Now, failures, null, Options, jitter: 0.5));

    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    [InlineData(int.MaxValue)]
    public void AfterFailure_ManyFailures_CappedSoTheFeedIsStillTried(int failures) =>
        Assert.Equal(Now.AddHours(24), PollBackoff.AfterFailure(Now, failures, null, Options, jitter: 0.5));

    [Fact]
    public void AfterFailure_Jitter_SpreadsTwentyPercentEitherWay()
    {
        Assert.Equal(Now.AddMinutes(8), PollBackoff.AfterFailure(Now, 2, null, Options, jitter: 0));
        Assert.True(PollBackoff.AfterFailure(Now, 2, null, Options, jitter: 0.999) < Now.AddMinutes(12));
    }

    [Fact]
    public void AfterFailure_RetryAfterLongerThanTheBackoff_Honoured() =>
        Assert.Equal(Now.AddHours(2), PollBackoff.AfterFailure(Now, 1, TimeSpan.FromHours(2), Options, jitter: 0.5));

    [Fact]
    public void AfterFailure_RetryAfterShorterThanTheBackoff_BackoffWins() =>
        Assert.Equal(Now.AddMinutes(20), PollBackoff.AfterFailure(Now, 3, TimeSpan.FromSeconds(30), Options, jitter: 0.5));

    [Fact]
    public void AfterSuccess_NothingSaid_CronAloneDecides() => Assert.Null(PollBackoff.AfterSuccess(Now, null, null));

    [Fact]
    public void AfterSuccess_FreshnessOrRetryAfter_TheLaterIsTheFloor()
    {
        Assert.Equal(Now.AddHours(1), PollBackoff.AfterSuccess(Now, Now.AddHours(1), TimeSpan.FromMinutes(10)));
        Assert.Equal(Now.AddHours(3), PollBackoff.AfterSuccess(Now, Now.AddHours(1), TimeSpan.FromHours(3)));
    }

    [Fact]
    public void AfterSuccess_FreshnessInThePast_NoFloor() => Assert.Null(PollBackoff.AfterSuccess(Now, Now.AddMinutes(-5), null));
}
