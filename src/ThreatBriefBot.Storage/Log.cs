using Microsoft.Extensions.Logging;

namespace ThreatBriefBot.Storage;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applied storage migration {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Storage schema is at version {Version}")]
    public static partial void SchemaVersion(ILogger logger, int version);
}
