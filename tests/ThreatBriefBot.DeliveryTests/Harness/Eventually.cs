using System.Diagnostics;

namespace ThreatBriefBot.DeliveryTests.Harness;

/// <summary>Bounded polling: what the fakes and the worker process offer instead of events.</summary>
internal static class Eventually
{
    /// <summary>Re-checks <paramref name="condition"/> every <paramref name="every"/> (100 ms) until it holds or <paramref name="patience"/> is spent.</summary>
    /// <returns>Whether it held.</returns>
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan patience, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= patience)
            {
                return false;
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        }

        return true;
    }
}
