using Microsoft.Extensions.Time.Testing;

namespace ThreatBriefBot.Testing;

/// <summary>
/// Drives work that waits on a <see cref="FakeTimeProvider"/> (retry delays, timeouts, pacing) while its requests
/// travel to a loopback fake in real time: whenever the work has been quiet for a moment, the clock moves one step.
/// </summary>
public static class FakeClock
{
    /// <summary>Real time the work gets between two steps, for its requests to reach the fake and come back.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(20);

    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> work, TimeSpan step, int maxSteps = 2000)
    {
        await RunAsync(time, (Task)work, step, maxSteps);
        return await work;
    }

    public static async Task RunAsync(FakeTimeProvider time, Task work, TimeSpan step, int maxSteps = 2000)
    {
        for (var steps = 0; !work.IsCompleted; steps++)
        {
            await Task.WhenAny(work, Task.Delay(Quiet, TestContext.Current.CancellationToken));
            if (work.IsCompleted)
            {
                break;
            }

            if (steps >= maxSteps)
            {
                throw new TimeoutException($"still running after the fake clock moved {steps} steps of {step}");
            }

            time.Advance(step);
        }

        await work;
    }
}
