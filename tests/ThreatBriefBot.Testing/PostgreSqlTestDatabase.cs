using Npgsql;

namespace ThreatBriefBot.Testing;

/// <summary>
/// An empty PostgreSQL database of its own for one test, on the server named by <see cref="ServerVariable"/>, dropped
/// on dispose. An unreachable server fails the test with what to do, rather than skipping it: <c>.ci/run</c> starts one.
/// </summary>
public sealed class PostgreSqlTestDatabase : IAsyncDisposable
{
    /// <summary>A connection string to the server, with a role that may create databases.</summary>
    public const string ServerVariable = "THREATBRIEFBOT_TEST_POSTGRES";

    private const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=tbb;Password=tbb;Database=postgres";

    private readonly string _server;
    private readonly string _name;

    private PostgreSqlTestDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    /// <summary>The new database's connection string.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgreSqlTestDatabase> CreateAsync(CancellationToken cancellationToken)
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured ? configured : DefaultServer;
        var database = new PostgreSqlTestDatabase(server, "tbb_test_" + Guid.NewGuid().ToString("N"));
        try
        {
            await database.ExecuteOnServerAsync($"CREATE DATABASE {database._name}", cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            var where = new NpgsqlConnectionStringBuilder(server);
            throw new InvalidOperationException(
                $"The PostgreSQL tests need a server: none answered as {where.Username}@{where.Host}:{where.Port} ({e.Message}). "
                + $"Run .ci/run (it starts one: pg_ctlcluster 15 main start, role tbb/tbb with CREATEDB), or set {ServerVariable}.",
                e);
        }

        return database;
    }

    /// <summary>
    /// FORCE ends what a test left connected (its pooled connections), so every database goes. An autovacuum worker
    /// busy in it is a session only a member of pg_signal_backend may end: then a plain DROP, which waits for
    /// autovacuum to step aside, does it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", CancellationToken.None);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {_name}", CancellationToken.None);
        }
    }

    private async Task ExecuteOnServerAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
