namespace ThreatBriefBot.Storage;

/// <summary>Brings the database schema up to date. The host calls it before anything touches storage.</summary>
public interface IStorageMigrator
{
    /// <summary>
    /// Creates the database (and its folder) if missing and applies every pending migration, each in its own
    /// transaction. Does nothing when up to date; throws when the database is newer than this build.
    /// </summary>
    Task MigrateAsync(CancellationToken cancellationToken);
}
