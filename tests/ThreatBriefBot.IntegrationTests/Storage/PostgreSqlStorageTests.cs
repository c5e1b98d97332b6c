using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Storage;
using ThreatBriefBot.Storage.Migrations;

namespace ThreatBriefBot.IntegrationTests.Storage;

/// <summary>What only PostgreSQL has: timestamptz columns, instances migrating at once, the advisory worker lock.</summary>
public sealed class PostgreSqlStorageTests
{
    private static readonly IReadOnlyList<MigrationScript> Scripts = MigrationScript.Load("postgresql");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Load_PostgreSqlScripts_SameVersionsAndNamesAsSqlite()
    {
        Assert.Equal(
            MigrationScript.Load("sqlite").Select(s => (s.Version, s.Name)),
            Scripts.Select(s => (s.Version, s.Name)));
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_AtLatestVersionWithUtcTimestamps()
    {
        await using var storage = await TempStorage.CreateAsync(StorageOptions.PostgreSqlProvider);

        Assert.Equal(Scripts[^1].Version, await storage.ScalarAsync("SELECT MAX(version) FROM schema_migrations"));
        var appliedAt = Assert.IsType<DateTime>(await storage.ScalarAsync("SELECT MIN(applied_at) FROM schema_migrations"));
        Assert.Equal(new DateTime(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc), appliedAt);
        Assert.Equal("boolean", await storage.ScalarAsync(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'item_topics' AND column_name = 'applied'"));
    }

    [Fact]
    public async Task MigrateAsync_InstancesStartingTogether_EachMigrationAppliedOnce()
    {
        await using var storage = await TempStorage.CreateAsync(StorageOptions.PostgreSqlProvider, migrate: false);
        var instances = Enumerable.Range(0, 4).Select(_ => storage.CreateInstance()).ToList();
        try
        {
            // Without the advisory lock the losers fail creating tables that the winner created meanwhile.
            await Task.WhenAll(instances.Select(i => Task.Run(() => i.GetRequiredService<IStorageMigrator>().MigrateAsync(Ct), Ct)));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }

        Assert.Equal(Scripts.Count, await storage.CountAsync("schema_migrations"));
    }

    [Fact]
    public async Task AddStorage_PostgreSqlWithoutConnectionString_FailsNamingTheKey()
    {
        await using var storage = await TempStorage.CreateAsync(
            "postgresql", migrate: false, settings: new Dictionary<string, string?> { ["ConnectionStrings:ThreatBriefBot"] = "" });

        var error = Assert.Throws<OptionsValidationException>(() => storage.Get<IOptions<StorageOptions>>().Value);

        var failure = Assert.Single(error.Failures);
        Assert.Contains("ConnectionStrings:ThreatBriefBot", failure, StringComparison.Ordinal);
        Assert.Contains("Storage:Provider", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddStorage_ProviderInOtherCase_IsAccepted()
    {
        await using var storage = await TempStorage.CreateAsync("postgresql");

        Assert.Equal((long)Scripts.Count, await storage.CountAsync("schema_migrations"));
    }

    [Fact]
    public async Task WorkerLock_SecondInstance_RefusedNamingTheHolderUntilTheFirstLetsGo()
    {
        await using var storage = await TempStorage.CreateAsync(StorageOptions.PostgreSqlProvider);
        storage.Get<IWorkerLock>().Acquire();
        await using var second = storage.CreateInstance();

        var refused = Assert.Throws<WorkerLockHeldException>(() => second.GetRequiredService<IWorkerLock>().Acquire());

        Assert.Contains("backend pid", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"application 'ThreatBriefBot {Environment.MachineName} pid {Environment.ProcessId}", refused.Message, StringComparison.Ordinal);

        // The first instance ends: its session, and so the lock, goes with it.
        await storage.Services.DisposeAsync();
        second.GetRequiredService<IWorkerLock>().Acquire();
    }
}
