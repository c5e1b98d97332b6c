using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Chat.Slack.WebApi;

namespace ThreatBriefBot.Chat.Slack.Tests.WebApi;

public sealed class ChannelPacerTests
{
    private readonly FakeTimeProvider _time = new(TestDigests.Until);
    private readonly ChannelPacer _pacer;

    public ChannelPacerTests() =>
        _pacer = new ChannelPacer(Options.Create(new SlackOptions { MinPostInterval = TimeSpan.FromSeconds(1) }), _time);

    [Fact]
    public void Reserve_SameChannelThreeTimes_EachWaitsOneIntervalMore()
    {
        Assert.Equal(TimeSpan.Zero, _pacer.Reserve("C1"));
        Assert.Equal(TimeSpan.FromSeconds(1), _pacer.Reserve("C1"));
        Assert.Equal(TimeSpan.FromSeconds(2), _pacer.Reserve("C1"));
    }

    [Fact]
    public void Reserve_OtherChannel_DoesNotWait()
    {
        _pacer.Reserve("C1");

        Assert.Equal(TimeSpan.Zero, _pacer.Reserve("C2"));
    }

    [Fact]
    public void Reserve_IntervalPassed_DoesNotWait()
    {
        _pacer.Reserve("C1");
        _time.Advance(TimeSpan.FromSeconds(1.5));

        Assert.Equal(TimeSpan.Zero, _pacer.Reserve("C1"));
    }

    [Fact]
    public void Defer_RetryAfter_HoldsTheChannelBackThatLong()
    {
        _pacer.Defer("C1", TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), _pacer.Reserve("C1"));
        Assert.Equal(TimeSpan.FromSeconds(31), _pacer.Reserve("C1"));
        Assert.Equal(TimeSpan.Zero, _pacer.Reserve("C2"));
    }

    [Fact]
    public void Defer_ShorterThanTheQueue_DoesNotBringItForward()
    {
        _pacer.Reserve("C1");
        _pacer.Reserve("C1");
        _pacer.Reserve("C1");

        _pacer.Defer("C1", TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(3), _pacer.Reserve("C1"));
    }

    [Fact]
    public async Task WaitTurnAsync_SecondMessage_CompletesOnlyWhenTheClockReachesItsSlot()
    {
        await _pacer.WaitTurnAsync("C1", TestContext.Current.CancellationToken);

        var second = _pacer.WaitTurnAsync("C1", TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }
}
