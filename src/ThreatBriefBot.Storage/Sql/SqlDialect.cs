using System.Data.Common;

namespace ThreatBriefBot.Storage.Sql;

/// <summary>
/// What differs between database engines. Stores write portable SQL against <see cref="DbDataSource"/> and ask
/// the dialect only for these: times (text in SQLite, timestamptz in PostgreSQL), migration scripts, and setup.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>Picks the migration scripts: <c>Migrations/NNNN_name.{suffix}.sql</c>.</summary>
    public abstract string MigrationSuffix { get; }

    /// <summary>Idempotent DDL for <c>schema_migrations(version, applied_at)</c>, run before reading the version.</summary>
    public abstract string CreateMigrationsTableSql { get; }

    /// <summary>Creates what must exist before the first connection (a folder, a journal mode).</summary>
    public abstract Task PrepareDatabaseAsync(DbDataSource dataSource, CancellationToken cancellationToken);

    public abstract object ToDbTime(DateTimeOffset value);

    public abstract DateTimeOffset GetTime(DbDataReader reader, int ordinal);

    public object ToDbTime(DateTimeOffset? value) => value is { } time ? ToDbTime(time) : DBNull.Value;

    public DateTimeOffset? GetTimeOrNull(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : GetTime(reader, ordinal);
}
