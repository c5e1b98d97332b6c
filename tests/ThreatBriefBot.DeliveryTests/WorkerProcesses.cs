namespace ThreatBriefBot.DeliveryTests;

/// <summary>
/// The tests that run worker processes, one at a time and alone: they poll, post and are killed on a schedule, and
/// two at once on a two-core machine would blur "the same second" of the race and the kill points of the crash test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkerProcesses
{
    public const string Name = "Worker processes";
}
