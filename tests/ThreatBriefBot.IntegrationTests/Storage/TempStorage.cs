using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Storage;

namespace ThreatBriefBot.IntegrationTests.Storage;

/// <summary>
/// A storage service provider over a database of its own, deleted on dispose: a SQLite file in a temp folder, or a
/// fresh PostgreSQL database (see <see cref="PostgreSqlTestDatabase"/>).
/// </summary>
internal sealed class TempStorage : IAsyncDisposable
{
    private readonly string _root;
    private readonly PostgreSqlTestDatabase? _database;
    private readonly IConfiguration _configuration;

    private TempStorage(string provider, string root, PostgreSqlTestDatabase? database, IReadOnlyDictionary<string, string?> settings)
    {
        Provider = provider;
        _root = root;
        _database = database;
        var all = new Dictionary<string, string?> { ["Storage:Provider"] = provider };
        if (database is not null)
        {
            all[$"ConnectionStrings:{StorageOptions.ConnectionStringName}"] = database.ConnectionString;
        }

        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        all["Storage:DataDirectory"] = DataDirectory;
        _configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        Services = CreateInstance();
    }

    /// <summary><see cref="StorageOptions.SqliteProvider"/> or <see cref="StorageOptions.PostgreSqlProvider"/>.</summary>
    public string Provider { get; }

    public bool IsPostgreSql => string.Equals(Provider, StorageOptions.PostgreSqlProvider, StringComparison.OrdinalIgnoreCase);

    /// <summary>The PostgreSQL database's connection string; null on SQLite.</summary>
    public string? ConnectionString => _database?.ConnectionString;

    /// <summary>A folder that does not exist yet, so the migrator must create it.</summary>
    public string DataDirectory => Path.Combine(_root, "data");

    public string DatabasePath => Path.Combine(DataDirectory, "threatbriefbot.db");

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));

    public ServiceProvider Services { get; }

    public static async Task<TempStorage> CreateAsync(
        string provider, bool migrate = true, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "tbb-storage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var database = string.Equals(provider, StorageOptions.PostgreSqlProvider, StringComparison.OrdinalIgnoreCase)
            ? await PostgreSqlTestDatabase.CreateAsync(TestContext.Current.CancellationToken)
            : null;
        var storage = new TempStorage(provider, root, database, settings ?? new Dictionary<string, string?>());
        if (migrate)
        {
            await storage.Get<IStorageMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        }

        return storage;
    }

    /// <summary>Another instance's storage services on the same database, as a second process would have them.</summary>
    public ServiceProvider CreateInstance() =>
        new ServiceCollection()
            .AddSingleton(_configuration)
            .AddSingleton<TimeProvider>(Time)
            .AddLogging()
            .AddStorage()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

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
        // Disposing the provider disposes the data source, which releases its pooled connections to the database.
        await Services.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }
}

/// <summary>The providers every store test runs on: <c>[Theory, ClassData(typeof(StorageProviders))]</c>.</summary>
public sealed class StorageProviders : TheoryData<string>
{
    public StorageProviders()
    {
        Add(StorageOptions.SqliteProvider);
        Add(StorageOptions.PostgreSqlProvider);
    }
}
