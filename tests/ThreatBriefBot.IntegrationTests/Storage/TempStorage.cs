using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Storage;

namespace ThreatBriefBot.IntegrationTests.Storage;

/// <summary>A storage service provider over a real SQLite file in its own temp folder, deleted on dispose.</summary>
internal sealed class TempStorage : IAsyncDisposable
{
    private readonly string _root;

    private TempStorage(string root, IReadOnlyDictionary<string, string?> settings)
    {
        _root = root;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["Storage:DataDirectory"] = DataDirectory })
            .Build();
        Services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<TimeProvider>(Time)
            .AddLogging()
            .AddStorage()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A folder that does not exist yet, so the migrator must create it.</summary>
    public string DataDirectory => Path.Combine(_root, "data");

    public string DatabasePath => Path.Combine(DataDirectory, "threatbriefbot.db");

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));

    public ServiceProvider Services { get; }

    public static async Task<TempStorage> CreateAsync(bool migrate = true, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "tbb-storage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var storage = new TempStorage(root, settings ?? new Dictionary<string, string?>());
        if (migrate)
        {
            await storage.Get<IStorageMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        }

        return storage;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Runs SQL straight against the database, for setting up and checking what the stores wrote.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var connection = await Get<DbDataSource>().OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<long> CountAsync(string table) => (long)(await ScalarAsync($"SELECT COUNT(*) FROM {table}"))!;

    public async ValueTask DisposeAsync()
    {
        // Disposing the provider disposes the data source, which releases its pooled connections to the file.
        await Services.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
