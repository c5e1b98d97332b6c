using Microsoft.Extensions.Logging;

namespace ThreatBriefBot.Storage;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied storage migration {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Storage schema is at version {Version}")]
    public static partial void SchemaVersion(ILogger logger, int version);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Holding the worker lock on PostgreSQL database {Database} as backend pid {BackendPid}")]
    public static partial void WorkerLockTaken(ILogger logger, string database, int backendPid);
}
