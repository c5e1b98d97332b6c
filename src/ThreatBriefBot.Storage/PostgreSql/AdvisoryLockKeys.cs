namespace ThreatBriefBot.Storage.PostgreSql;

/// <summary>
/// The advisory locks ThreatBriefBot takes, as PostgreSQL's two-key form (namespace, lock): the namespace keeps them
/// apart from other applications' locks on the same database, and pg_locks shows them as classid and objid.
/// </summary>
internal static class AdvisoryLockKeys
{
    /// <summary>"TBB1" in ASCII.</summary>
    public const int Namespace = 0x54424231;

    /// <summary>Held for the life of the delivering worker's process (<see cref="PostgreSqlWorkerLock"/>).</summary>
    public const int Worker = 1;

    /// <summary>Held while one instance migrates the schema.</summary>
    public const int Migrations = 2;

    /// <summary>Held by each item-storing transaction, in place of SQLite's single writer.</summary>
    public const int ItemWrites = 3;
}
