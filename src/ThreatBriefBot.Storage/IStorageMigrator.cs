namespace ThreatBriefBot.Storage;

/// <summary>Brings the database schema up to date. The host calls it before anything touches storage.</summary>
public interface IStorageMigrator
{
    /// <summary>
    /// Creates the SQLite database (and its folder) if missing, or uses the existing PostgreSQL database, and applies
    /// every pending migration, each in its own transaction; instances starting together apply each once. Does nothing
    /// when up to date; throws when the database is newer than this build.
    /// </summary>
    Task MigrateAsync(CancellationToken cancellationToken);
}
