using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ThreatBriefBot.Storage.PostgreSql;

/// <summary>
/// PostgreSQL's worker lock: a session advisory lock held on a connection of its own for the life of the process.
/// PostgreSQL releases it when the session ends, so a killed worker leaves no stale lock, and the server's TCP
/// keep-alives, set short for this session, end the session of a machine that vanished within about a minute. The
/// connection is not pooled and stays idle after taking the lock, because a session killed in the middle of a statement
/// keeps its locks until that statement ends.
/// </summary>
internal sealed class PostgreSqlWorkerLock(string connectionString, ILogger<PostgreSqlWorkerLock> logger) : IWorkerLock, IDisposable
{
    // PostgreSQL's own defaults leave a dead peer's session (and the lock) for the kernel's two hours.
    private const string ServerKeepAlives = "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3";

    private NpgsqlConnection? _connection;

    public void Acquire()
    {
        if (_connection is not null)
        {
            return;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? ServerKeepAlives : builder.Options + " " + ServerKeepAlives;
        builder.ApplicationName ??= PostgreSqlDataSource.InstanceName();
        var connection = new NpgsqlConnection(builder.ToString());
        try
        {
            connection.Open();
            using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@namespace, @key)", connection);
            command.Parameters.AddWithValue("namespace", AdvisoryLockKeys.Namespace);
            command.Parameters.AddWithValue("key", AdvisoryLockKeys.Worker);
            if (command.ExecuteScalar() is not true)
            {
                throw new WorkerLockHeldException(
                    $"another worker already delivers from PostgreSQL database '{builder.Database}' on {builder.Host} "
                    + $"({DescribeHolder(connection)}); it holds advisory lock ({AdvisoryLockKeys.Namespace}, {AdvisoryLockKeys.Worker}). "
                    + "Stop it first, or give this worker its own database.");
            }

            Log.WorkerLockTaken(logger, builder.Database ?? "", connection.ProcessID);
            _connection = connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose() => _connection?.Dispose();

    private static string DescribeHolder(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand(
            """
            SELECT a.pid, host(a.client_addr), a.application_name, a.backend_start
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::int8 = @namespace AND l.objid::int8 = @key AND l.objsubid = 2
            """,
            connection);
        command.Parameters.AddWithValue("namespace", (long)AdvisoryLockKeys.Namespace);
        command.Parameters.AddWithValue("key", (long)AdvisoryLockKeys.Worker);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return "a session that has just let go of it";
        }

        // Another role's session hides its address and start from a role without pg_read_all_stats.
        var address = reader.IsDBNull(1) ? "a local socket or hidden address" : reader.GetString(1);
        var since = reader.IsDBNull(3) ? "" : string.Create(CultureInfo.InvariantCulture, $", since {reader.GetFieldValue<DateTimeOffset>(3):u}");
        return $"backend pid {reader.GetInt32(0)}, client {address}, application '{reader.GetString(2)}'{since}";
    }
}
