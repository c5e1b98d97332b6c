using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using ThreatBriefBot.Storage.Sql;

namespace ThreatBriefBot.Storage.Sqlite;

internal sealed class SqliteDialect : SqlDialect
{
    // Fixed width, UTC, full precision: text order is time order, so comparisons and ORDER BY work on the column.
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public override string MigrationSuffix => "sqlite";

    public override string CreateMigrationsTableSql =>
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT;";

    public override async Task PrepareDatabaseAsync(DbDataSource dataSource, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(dataSource.ConnectionString);
        var inMemory = builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:";
        if (!inMemory && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        // WAL is stored in the file, so once is enough: readers then never block the writer, nor it them.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;", null, cancellationToken);
    }

    // SQLite has one writer at a time: a migration's transaction (BEGIN IMMEDIATE) already excludes the others, and
    // StorageMigrator re-reads the version inside it.
    public override Task<IAsyncDisposable> LockMigrationsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NothingToRelease.Instance);

    // Microsoft.Data.Sqlite begins transactions IMMEDIATE: the transaction already holds the database's one write lock.
    public override Task SerializeItemWritesAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    // items_search is the FTS5 table the triggers of migration 0006 keep in step with items.
    public override string TextMatchCondition(string parameterName) =>
        $"i.id IN (SELECT item_id FROM items_search WHERE items_search MATCH {parameterName})";

    // FTS5: a "quoted string" is one phrase whatever it holds ("" is a quote), * after it makes it a prefix, and
    // phrases side by side must all match.
    public override string ToTextMatch(IReadOnlyList<string> terms) =>
        string.Join(' ', terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"*"));

    public override object ToDbTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public override DateTimeOffset GetTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(
            reader.GetString(ordinal), TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed class NothingToRelease : IAsyncDisposable
    {
        public static readonly NothingToRelease Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
