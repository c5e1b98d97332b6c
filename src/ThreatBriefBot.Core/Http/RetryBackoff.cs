namespace ThreatBriefBot.Core.Http;

/// <summary>How long to wait after failures in a row, for every client the bot has: doubling from a first wait, capped.</summary>
public static class RetryBackoff
{
    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (the first waits <paramref name="first"/>).</summary>
    public static TimeSpan Doubling(TimeSpan first, int failures, TimeSpan max)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        return TimeSpan.FromTicks((long)Math.Min(first.Ticks * Math.Pow(2, doublings), max.Ticks));
    }
}
