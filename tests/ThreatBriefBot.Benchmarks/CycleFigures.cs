using System.Diagnostics;
using ThreatBriefBot.Feeds;
using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Benchmarks;

/// <summary>What one poll cycle did and cost, as printed.</summary>
internal sealed record CycleFigures(
    string Label,
    IReadOnlyList<PollReport> Reports,
    TimeSpan Wall,
    TimeSpan Cpu,
    long PeakWorkingSet,
    bool PeakIsPerCycle,
    long ProcessPeakWorkingSet,
    long WorkingSetAtEnd,
    long WorkingSetAfterGc,
    long ManagedHeapAfterGc,
    long AllocatedBytes,
    (int Gen0, int Gen1, int Gen2) Collections,
    ServerStats Served,
    IReadOnlyList<(string Name, long Calls, TimeSpan Total)> Stages)
{
    private const double MB = 1024 * 1024;

    public void Print(TextWriter output)
    {
        var ok = Reports.Count(r => r.Status == FeedFetchStatus.Ok);
        var notModified = Reports.Count(r => r.Status == FeedFetchStatus.NotModified);
        var failures = Reports.Where(r => r.Failed).ToList();
        output.WriteLine(Label);
        output.Line($"  feeds              {Reports.Count} (200 ok {ok}, 304 not modified {notModified}, failed {failures.Count})");
        output.Line($"  items              added {Reports.Sum(r => r.Added)}, merged into a story {Reports.Sum(r => r.Merged)}, already seen {Reports.Sum(r => r.Seen)}");
        output.Line($"  wall time          {Wall.TotalSeconds:0.0} s");
        output.Line($"  cpu time           {Cpu.TotalSeconds:0.0} s in the harness ({Cpu / Wall:0.00} cores busy); feed server {Served.Cpu.TotalSeconds:0.0} s (child process, not counted)");
        output.Line($"  requests           {Served.Requests} served, {Served.Requests / Wall.TotalSeconds:0} /s (200: {Served.Ok}, 304: {Served.NotModified}, 404: {Served.NotFound}; {Served.Bytes / MB:0.0} MB of bodies)");
        output.Line($"  peak working set   {PeakWorkingSet / MB:0} MB {(PeakIsPerCycle ? "during this cycle (VmHWM reset at its start)" : "since process start (VmHWM could not be reset)")}; {ProcessPeakWorkingSet / MB:0} MB process-wide since start");
        output.Line($"  working set        {WorkingSetAtEnd / MB:0} MB at the end; {WorkingSetAfterGc / MB:0} MB after a full GC (managed heap {ManagedHeapAfterGc / MB:0.0} MB)");
        output.Line($"  allocations        {AllocatedBytes / MB:0} MB allocated; GCs gen0 {Collections.Gen0}, gen1 {Collections.Gen1}, gen2 {Collections.Gen2}");
        output.Line($"  failures           {failures.Count}");
        foreach (var failure in failures.GroupBy(f => f.Error).Take(5))
        {
            output.Line($"                     {failure.Count()} x {failure.Key}");
        }

        output.WriteLine("  time by stage, summed over the concurrent polls (waits for the SQLite write lock and for a core included):");
        foreach (var (name, calls, total) in Stages)
        {
            var mean = calls == 0 ? 0 : total.TotalMilliseconds / calls;
            output.Line($"    {name,-42} {calls,8} calls {total.TotalSeconds,9:0.0} s  mean {mean,8:0.000} ms");
        }
    }

    /// <summary>The process's peak resident set: VmHWM on Linux, reset per cycle where the kernel allows it.</summary>
    public static long PeakWorkingSetNow()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>Resets VmHWM to the current resident set (Linux 4.0+, <c>clear_refs</c> value 5); false where not possible.</summary>
    public static bool TryResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
