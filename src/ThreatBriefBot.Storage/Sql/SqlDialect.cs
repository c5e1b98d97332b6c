using System.Data.Common;

namespace ThreatBriefBot.Storage.Sql;

/// <summary>
/// What differs between database engines. Stores write portable SQL against <see cref="DbDataSource"/> and ask
/// the dialect only for these: times (text in SQLite, timestamptz in PostgreSQL), migration scripts, setup, and the
/// locks that SQLite gets from its single writer and PostgreSQL must take explicitly, and how a text search matches
/// its words (FTS5 or a tsvector).
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>Picks the migration scripts: <c>Migrations/NNNN_name.{suffix}.sql</c>.</summary>
    public abstract string MigrationSuffix { get; }

    /// <summary>Idempotent DDL for <c>schema_migrations(version, applied_at)</c>, run before reading the version.</summary>
    public abstract string CreateMigrationsTableSql { get; }

    /// <summary>Creates what must exist before the first connection (a folder, a journal mode).</summary>
    public abstract Task PrepareDatabaseAsync(DbDataSource dataSource, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps other instances from migrating on <paramref name="connection"/>'s database until the result is disposed,
    /// so instances starting together apply each migration once. Taken before the migrations table is created.
    /// </summary>
    public abstract Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="transaction"/> the only one storing items until it ends, so no story is stored between
    /// its near-duplicate lookup and its inserts.
    /// </summary>
    public abstract Task SerializeItemWritesAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// A condition on items aliased <c>i</c>: true when every term in <paramref name="parameterName"/> (as rendered by
    /// <see cref="ToTextMatch"/>) is a word, or the start of a word, of the item's <c>search_words</c>.
    /// </summary>
    public abstract string TextMatchCondition(string parameterName);

    /// <summary>
    /// The engine's query for "every term as a word prefix", each term quoted so that nothing in it (quotes, operators,
    /// colons, parentheses) is read as query syntax. Terms come from <see cref="Search.SearchWords.Fold"/>.
    /// </summary>
    public abstract string ToTextMatch(IReadOnlyList<string> terms);

    public abstract object ToDbTime(DateTimeOffset value);

    public abstract DateTimeOffset GetTime(DbDataReader reader, int ordinal);

    public object ToDbTime(DateTimeOffset? value) => value is { } time ? ToDbTime(time) : DBNull.Value;

    public DateTimeOffset? GetTimeOrNull(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : GetTime(reader, ordinal);
}
