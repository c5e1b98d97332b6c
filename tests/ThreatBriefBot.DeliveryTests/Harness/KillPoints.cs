namespace ThreatBriefBot.DeliveryTests.Harness;

/// <summary>Where in a worker's life the crash test pulls the plug.</summary>
internal enum KillPoint
{
    /// <summary>The moment a channel has accepted a message: before the worker can have noted that it did.</summary>
    AfterPost,

    /// <summary>Right after a part of a digest that says more parts follow.</summary>
    BetweenParts,

    /// <summary>Before the worker has finished starting (migrations, scheduler, gateway and socket).</summary>
    DuringStartUp,

    /// <summary>Whenever: a random time into the run.</summary>
    AtRandom,
}

/// <summary>
/// Waits, in a running worker, for the moment to kill it at. The fakes have no events for accepted messages, so
/// the channels are polled every few milliseconds; a fake records a message before it answers the request, so
/// the kill lands while the worker is at best reading the answer. Every wait is bounded: when the moment does not
/// come, the kill happens anyway and counts as <see cref="KillPoint.AtRandom"/>.
/// </summary>
internal sealed class KillPoints(DeliveryRig rig, Random random)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    /// <summary>Returns the point actually reached, once it is time to kill.</summary>
    public async Task<KillPoint> WaitForAsync(WorkerProcess worker, KillPoint point)
    {
        switch (point)
        {
            case KillPoint.DuringStartUp:
                // The worker takes one to two seconds to start here; its first polls and posts come after that.
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(20, 1200)), TestContext.Current.CancellationToken);
                return point;
            case KillPoint.AtRandom:
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 5000)), TestContext.Current.CancellationToken);
                return point;
            case KillPoint.AfterPost:
                var before = rig.TotalMessages();
                return await UntilAsync(worker, TimeSpan.FromSeconds(8), () => rig.TotalMessages() > before) ? point : KillPoint.AtRandom;
            default:
                var large = rig.Channels.Where(s => s.Plan.Large).Select(s => (s.Transcript, Seen: s.Transcript.Count)).ToList();
                return await UntilAsync(worker, TimeSpan.FromSeconds(10), () => large.Any(l => MorePartsFollow(l.Transcript, l.Seen))) ? point : KillPoint.AtRandom;
        }
    }

    /// <summary>A message since <paramref name="seen"/> says it is part i of N with i &lt; N.</summary>
    private static bool MorePartsFollow(Transcript transcript, int seen) =>
        transcript.Count > seen && transcript.Read(seen).Any(m => m.Part is { } part && part.Index < part.Count);

    /// <summary>False when the time is up or the worker has ended by itself.</summary>
    private static async Task<bool> UntilAsync(WorkerProcess worker, TimeSpan patience, Func<bool> condition) =>
        await Eventually.TrueAsync(() => worker.HasExited || condition(), patience, Poll) && !worker.HasExited;
}
