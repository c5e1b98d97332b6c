using System.Data.Common;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Storage;
using ThreatBriefBot.Storage.Migrations;
using ThreatBriefBot.Storage.Sql;

namespace ThreatBriefBot.IntegrationTests.Storage;

/// <summary>The migrator on SQLite, and what both providers share; PostgreSQL's own cases are in PostgreSqlStorageTests.</summary>
public sealed class StorageMigratorTests
{
    private static readonly IReadOnlyList<MigrationScript> Scripts = MigrationScript.Load("sqlite");

    [Fact]
    public async Task MigrateAsync_FreshDataDirectory_CreatesDatabaseInWalModeAtLatestVersion()
    {
        await using var storage = await TempStorage.CreateAsync(StorageOptions.SqliteProvider, migrate: false);
        Assert.False(Directory.Exists(storage.DataDirectory));

        await storage.Get<IStorageMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

        Assert.True(File.Exists(storage.DatabasePath));
        Assert.Equal("wal", await storage.ScalarAsync("PRAGMA journal_mode"));
        Assert.Equal(1L, await storage.ScalarAsync("PRAGMA foreign_keys"));
        Assert.Equal(5000L, await storage.ScalarAsync("PRAGMA busy_timeout"));
        Assert.Equal((long)Scripts[^1].Version, await storage.ScalarAsync("SELECT MAX(version) FROM schema_migrations"));
        Assert.Equal("2025-03-01T08:00:00.0000000Z", await storage.ScalarAsync("SELECT applied_at FROM schema_migrations"));
        Assert.Equal(0L, await storage.CountAsync("items"));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task MigrateAsync_RunTwice_SecondRunChangesNothing(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        await storage.ScalarAsync("INSERT INTO feeds (name, source, cron, added_at) VALUES ('kept', 'x', NULL, CURRENT_TIMESTAMP)");

        await storage.Get<IStorageMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Scripts.Count, await storage.CountAsync("schema_migrations"));
        Assert.Equal(1L, await storage.CountAsync("feeds"));
    }

    [Fact]
    public async Task MigrateAsync_OtherInstanceMigratesMeanwhile_SkipsWhatItApplied()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var storage = await TempStorage.CreateAsync(StorageOptions.SqliteProvider, migrate: false);
        var dataSource = storage.Get<DbDataSource>();
        var dialect = storage.Get<SqlDialect>();
        await dialect.PrepareDatabaseAsync(dataSource, cancellationToken);

        // The other instance holds the write lock while this one reads version 0 and queues for the lock.
        await using var other = await dataSource.OpenConnectionAsync(cancellationToken);
        await other.ExecuteAsync(dialect.CreateMigrationsTableSql, null, cancellationToken);
        await using var transaction = await other.BeginTransactionAsync(cancellationToken);
        var migrating = Task.Run(() => storage.Get<IStorageMigrator>().MigrateAsync(cancellationToken), cancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        foreach (var script in MigrationScript.Load(dialect.MigrationSuffix))
        {
            await other.ExecuteAsync(script.Sql, transaction, cancellationToken);
            await other.ExecuteAsync(
                $"INSERT INTO schema_migrations (version, applied_at) VALUES ({script.Version}, 'other')", transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await migrating;

        Assert.Equal("other", await storage.ScalarAsync("SELECT applied_at FROM schema_migrations WHERE version = 1"));
        Assert.Equal(Scripts.Count, await storage.CountAsync("schema_migrations"));
    }

    [Fact]
    public async Task MigrateAsync_DigestsSentBeforeTheOutbox_EachSubscriptionCarriesOnWhereItsLastWindowEnded()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var storage = await TempStorage.CreateAsync(StorageOptions.SqliteProvider, migrate: false);
        var dataSource = storage.Get<DbDataSource>();
        var dialect = storage.Get<SqlDialect>();
        await dialect.PrepareDatabaseAsync(dataSource, cancellationToken);
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(dialect.CreateMigrationsTableSql, null, cancellationToken);
            foreach (var script in Scripts.Where(s => s.Version <= 4))
            {
                await connection.ExecuteAsync(script.Sql, null, cancellationToken);
                await connection.ExecuteAsync($"INSERT INTO schema_migrations (version, applied_at) VALUES ({script.Version}, 'then')", null, cancellationToken);
            }

            await connection.ExecuteAsync(
                """
                INSERT INTO digests (subscription_id, fire_time, window_start, window_end, sent_at, item_ids) VALUES
                ('morning', '2025-03-01T08:00:00.0000000Z', '2025-02-28T08:00:00.0000000Z', '2025-03-01T08:00:00.1000000Z', '2025-03-01T08:00:01.0000000Z', '[]'),
                ('morning', '2025-03-02T08:00:00.0000000Z', '2025-03-01T08:00:00.1000000Z', '2025-03-02T08:00:00.2000000Z', '2025-03-02T08:00:01.0000000Z', '[]')
                """,
                null,
                cancellationToken);
        }

        await storage.Get<IStorageMigrator>().MigrateAsync(cancellationToken);

        Assert.Equal("2025-03-02T08:00:00.2000000Z", await storage.ScalarAsync("SELECT starts_at FROM delivery_starts WHERE subscription_id = 'morning'"));
        Assert.Equal(0L, await storage.CountAsync("sqlite_master WHERE name = 'digests'"));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task MigrateAsync_DatabaseNewerThanCode_ThrowsAndLeavesItAlone(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        await storage.ScalarAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, CURRENT_TIMESTAMP)");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => storage.Get<IStorageMigrator>().MigrateAsync(TestContext.Current.CancellationToken));

        Assert.Contains("9999", error.Message, StringComparison.Ordinal);
        Assert.Equal(Scripts.Count + 1, await storage.CountAsync("schema_migrations"));
    }

    [Fact]
    public async Task MigrateAsync_ConnectionStringSet_UsesItInsteadOfDataDirectory()
    {
        var file = Path.Combine(Path.GetTempPath(), "tbb-storage-cs-" + Guid.NewGuid().ToString("N"), "nested", "custom.db");
        try
        {
            await using (var storage = await TempStorage.CreateAsync(
                StorageOptions.SqliteProvider,
                settings: new Dictionary<string, string?> { ["Storage:ConnectionString"] = $"Data Source={file}" }))
            {
                Assert.Equal(Scripts.Count, await storage.CountAsync("schema_migrations"));
                Assert.False(File.Exists(storage.DatabasePath));
            }

            Assert.True(File.Exists(file));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(file))!, recursive: true);
        }
    }

    [Fact]
    public async Task AddStorage_InvalidOptions_FailsNamingEveryKey()
    {
        await using var storage = await TempStorage.CreateAsync(
            StorageOptions.SqliteProvider,
            migrate: false,
            settings: new Dictionary<string, string?> { ["Storage:Provider"] = "Oracle", ["Storage:DatabaseFile"] = "sub/x.db" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => storage.Get<IStorageMigrator>().MigrateAsync(TestContext.Current.CancellationToken));

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("Storage:Provider", StringComparison.Ordinal) && f.Contains("Sqlite", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Storage:DatabaseFile", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddStorage_InvalidDeduplicationOptions_FailsNamingEveryKey()
    {
        await using var storage = await TempStorage.CreateAsync(
            StorageOptions.SqliteProvider,
            migrate: false,
            settings: new Dictionary<string, string?>
            {
                ["Deduplication:NearDuplicateMaxDistance"] = "17",
                ["Deduplication:NearDuplicateWindow"] = "-1.00:00:00",
            });

        var error = Assert.Throws<OptionsValidationException>(() => storage.Get<IOptions<DeduplicationOptions>>().Value);

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("Deduplication:NearDuplicateMaxDistance", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Deduplication:NearDuplicateWindow", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MigrateAsync_Fingerprints_CandidatesFoundByTheBandIndexes()
    {
        await using var storage = await TempStorage.CreateAsync(StorageOptions.SqliteProvider);

        var cancellationToken = TestContext.Current.CancellationToken;
        await using var connection = await storage.Get<DbDataSource>().OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            """
            EXPLAIN QUERY PLAN
            SELECT id FROM items WHERE seen_at >= '2025' AND (fingerprint_band0 IN (1, 2) OR fingerprint_band3 IN (3))
            """);
        var steps = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            steps.Add(reader.GetString(3));
        }

        var plan = string.Join(" | ", steps);
        Assert.Contains("ix_items_fingerprint_band0", plan, StringComparison.Ordinal);
        Assert.Contains("ix_items_fingerprint_band3", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddStorage_ProviderInOtherCase_IsAccepted()
    {
        await using var storage = await TempStorage.CreateAsync(StorageOptions.SqliteProvider, settings: new Dictionary<string, string?> { ["Storage:Provider"] = "sqlite" });

        Assert.Equal(Scripts.Count, await storage.CountAsync("schema_migrations"));
    }
}
