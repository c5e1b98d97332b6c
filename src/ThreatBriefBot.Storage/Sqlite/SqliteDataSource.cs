using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ThreatBriefBot.Storage.Sqlite;

/// <summary>
/// Pooled connections to one SQLite file, each set up on open: SQLite keeps these settings per connection, and
/// Microsoft.Data.Sqlite has no <see cref="DbDataSource"/> of its own that could apply them.
/// </summary>
internal sealed class SqliteDataSource(string connectionString) : DbDataSource
{
    // busy_timeout: a writer waits up to 5 s for another's lock instead of failing at once.
    // foreign_keys: off by default in SQLite, and the schema relies on cascades.
    // synchronous = NORMAL: in WAL mode a commit no longer waits for an fsync (the load harness measured one per
    // stored item as the bottleneck). A crash of the process loses nothing; a power cut can lose the last commits,
    // and those items are fetched again because the feed's poll state was not saved either.
    private const string ConnectionSetupSql = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

    public override string ConnectionString => connectionString;

    public static SqliteDataSource Create(StorageOptions options) =>
        new(string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new SqliteConnectionStringBuilder
            {
                DataSource = Path.GetFullPath(Path.Combine(options.DataDirectory, options.DatabaseFile)),
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
            }.ToString()
            : options.ConnectionString);

    protected override DbConnection CreateDbConnection() => new SqliteConnection(connectionString);

    protected override DbConnection OpenDbConnection()
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = ConnectionSetupSql;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = ConnectionSetupSql;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // Pooled connections keep the file open; release them with the data source so the file can be moved or deleted.
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ClearPool();
        }

        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore()
    {
        ClearPool();
        return base.DisposeAsyncCore();
    }

    private void ClearPool()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
