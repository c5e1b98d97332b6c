using System.Data.Common;
using ThreatBriefBot.Storage.Sql;

namespace ThreatBriefBot.Storage.PostgreSql;

internal sealed class PostgreSqlDialect : SqlDialect
{
    public override string MigrationSuffix => "postgresql";

    public override string CreateMigrationsTableSql =>
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL);";

    // The database itself is the operator's (its owner, its backups); the migrations create everything inside it.
    public override Task PrepareDatabaseAsync(DbDataSource dataSource, CancellationToken cancellationToken) => Task.CompletedTask;

    // A session lock rather than a transaction's: each migration commits in its own transaction, and the instances
    // that wait must find them all applied. Two instances creating the same table at once would otherwise fail.
    public override async Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using (var command = connection.CreateCommand("SELECT pg_advisory_lock(@namespace, @key)"))
        {
            command.With("@namespace", AdvisoryLockKeys.Namespace).With("@key", AdvisoryLockKeys.Migrations);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new MigrationLock(connection);
    }

    // PostgreSQL lets transactions write side by side; the lock ends with the transaction, however it ends.
    public override async Task SerializeItemWritesAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("SELECT pg_advisory_xact_lock(@namespace, @key)", transaction);
        command.With("@namespace", AdvisoryLockKeys.Namespace).With("@key", AdvisoryLockKeys.ItemWrites);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // A tsquery cast, not to_tsquery: the terms are already the folded words, and no parser may split them again.
    public override string TextMatchCondition(string parameterName) =>
        $"i.search_vector @@ CAST({parameterName} AS tsquery)";

    // tsquery input: a 'quoted' lexeme is taken as it is ('' is a quote, a backslash escapes the next character),
    // :* makes it a prefix, & is AND.
    public override string ToTextMatch(IReadOnlyList<string> terms) =>
        string.Join(
            " & ",
            terms.Select(t => "'" + t.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "':*"));

    // A UTC DateTime is what Npgsql writes to timestamptz; PostgreSQL keeps microseconds, so the last tick digit is cut.
    public override object ToDbTime(DateTimeOffset value) => value.UtcDateTime;

    public override DateTimeOffset GetTime(DbDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal).ToUniversalTime();

    private sealed class MigrationLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Not cancellable: the lock must go back even when the migration was cancelled.
            await using var command = connection.CreateCommand("SELECT pg_advisory_unlock(@namespace, @key)");
            command.With("@namespace", AdvisoryLockKeys.Namespace).With("@key", AdvisoryLockKeys.Migrations);
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
