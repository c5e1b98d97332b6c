namespace ThreatBriefBot.Chat.Slack.Fakes;

/// <summary>A bucket of <c>burst</c> calls refilled one per <c>interval</c>; callers hold the server's lock.</summary>
internal sealed class TokenBucket(int burst, TimeSpan interval, TimeProvider time)
{
    private double _tokens = burst;
    private long _refilledAt = time.GetTimestamp();

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        if (interval > TimeSpan.Zero)
        {
            _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_refilledAt, now) / interval));
        }
        else
        {
            _tokens = burst;
        }

        _refilledAt = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
