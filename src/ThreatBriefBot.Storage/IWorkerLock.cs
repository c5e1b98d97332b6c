namespace ThreatBriefBot.Storage;

/// <summary>
/// Makes the worker the only one that delivers from its store: two workers deciding and posting the same digests would
/// post them twice. The host takes it before the worker starts and holds it until the process ends.
/// </summary>
public interface IWorkerLock
{
    /// <summary>Takes the lock, or throws <see cref="WorkerLockHeldException"/> naming who holds it.</summary>
    void Acquire();
}

/// <summary>Another worker already delivers from this store.</summary>
public sealed class WorkerLockHeldException(string message, Exception? innerException = null) : Exception(message, innerException);
