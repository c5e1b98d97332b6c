using System.Globalization;
using Microsoft.Extensions.Options;

namespace ThreatBriefBot.Storage.Sqlite;

/// <summary>
/// The embedded store's worker lock: an exclusive lock on <c>worker.lock</c> in the data directory. On Linux and macOS
/// .NET takes it with flock, on Windows with a share mode; either way the kernel releases it when the process ends,
/// killed or not, so a crash never leaves a stale lock behind. Who holds it is written beside it, for the message.
/// </summary>
internal sealed class DataDirectoryWorkerLock(IOptions<StorageOptions> options, TimeProvider timeProvider) : IWorkerLock, IDisposable
{
    public const string FileName = "worker.lock";

    /// <summary>The holder's description; a separate file, since the locked one cannot be read by another process.</summary>
    public const string HolderFileName = "worker.lock.holder";

    private FileStream? _lock;

    public void Acquire()
    {
        if (_lock is not null)
        {
            return;
        }

        var directory = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        try
        {
            _lock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            var holder = File.Exists(Path.Combine(directory, HolderFileName))
                ? File.ReadAllText(Path.Combine(directory, HolderFileName)).Trim()
                : "a process that has not said who it is yet";
            throw new WorkerLockHeldException(
                $"another worker already delivers from data directory '{directory}' ({holder}); it holds {path}. "
                + "Stop it first, or give this worker its own Storage:DataDirectory.",
                e);
        }

        File.WriteAllText(
            Path.Combine(directory, HolderFileName),
            string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} on {Environment.MachineName}, since {timeProvider.GetUtcNow():u}"));
    }

    public void Dispose() => _lock?.Dispose();
}
