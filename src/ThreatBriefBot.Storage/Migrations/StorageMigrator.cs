using System.Data.Common;
using Microsoft.Extensions.Logging;
using ThreatBriefBot.Storage.Sql;

namespace ThreatBriefBot.Storage.Migrations;

internal sealed class StorageMigrator(
    DbDataSource dataSource, SqlDialect dialect, TimeProvider timeProvider, ILogger<StorageMigrator> logger) : IStorageMigrator
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var scripts = MigrationScript.Load(dialect.MigrationSuffix);
        var latest = scripts[^1].Version;

        await dialect.PrepareDatabaseAsync(dataSource, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var migrationLock = await dialect.LockMigrationsAsync(connection, cancellationToken);
        await connection.ExecuteAsync(dialect.CreateMigrationsTableSql, null, cancellationToken);

        var current = await GetVersionAsync(connection, null, cancellationToken);
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"The database is at schema version {current}, newer than the {latest} this build knows. "
                + "Run a newer ThreatBriefBot, or point Storage at another database.");
        }

        foreach (var script in scripts.Where(s => s.Version > current))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

            // Another instance may have migrated since the check above; the transaction now excludes it.
            if (await GetVersionAsync(connection, transaction, cancellationToken) >= script.Version)
            {
                continue;
            }

            if (script.BeforeScript is { } step)
            {
                await step(connection, transaction, cancellationToken);
            }

            await connection.ExecuteAsync(script.Sql, transaction, cancellationToken);
            await using (var record = connection.CreateCommand(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @appliedAt)", transaction))
            {
                record.With("@version", script.Version).With("@appliedAt", dialect.ToDbTime(timeProvider.GetUtcNow()));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            Log.MigrationApplied(logger, script.Version, script.Name);
        }

        Log.SchemaVersion(logger, latest);
    }

    private static async Task<int> GetVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
