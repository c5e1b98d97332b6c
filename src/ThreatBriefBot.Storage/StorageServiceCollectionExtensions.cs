using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Configuration;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Storage.Migrations;
using ThreatBriefBot.Storage.PostgreSql;
using ThreatBriefBot.Storage.Sql;
using ThreatBriefBot.Storage.Sqlite;
using ThreatBriefBot.Storage.Stores;

namespace ThreatBriefBot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the "Storage" and "Deduplication" options (validated on start), one <see cref="DbDataSource"/> for the configured
    /// provider, <see cref="IStorageMigrator"/>, the <see cref="IWorkerLock"/>, and the stores behind the Core ports. Call
    /// <see cref="IStorageMigrator.MigrateAsync"/> before the host runs.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<StorageOptions, StorageOptionsValidator>().BindConfigurationChecked(StorageOptions.SectionName);
        services.AddOptionsWithValidateOnStart<DeduplicationOptions, DeduplicationOptionsValidator>()
            .BindConfigurationChecked(DeduplicationOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);

        // The provider is chosen here and nowhere else; the stores are the same for every engine.
        services.TryAddSingleton<SqlDialect>(sp => Provider(sp) switch
        {
            StorageOptions.SqliteProvider => new SqliteDialect(),
            StorageOptions.PostgreSqlProvider => new PostgreSqlDialect(),
            var other => throw UnknownProvider(other),
        });
        services.TryAddSingleton<DbDataSource>(sp => Provider(sp) switch
        {
            StorageOptions.SqliteProvider => SqliteDataSource.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value),
            StorageOptions.PostgreSqlProvider => PostgreSqlDataSource.Create(PostgreSqlConnectionString(sp)),
            var other => throw UnknownProvider(other),
        });

        services.TryAddSingleton<IWorkerLock>(sp => Provider(sp) switch
        {
            StorageOptions.SqliteProvider => new DataDirectoryWorkerLock(
                sp.GetRequiredService<IOptions<StorageOptions>>(), sp.GetRequiredService<TimeProvider>()),
            StorageOptions.PostgreSqlProvider => new PostgreSqlWorkerLock(
                PostgreSqlConnectionString(sp), sp.GetRequiredService<ILogger<PostgreSqlWorkerLock>>()),
            var other => throw UnknownProvider(other),
        });
        services.TryAddSingleton<IStorageMigrator, StorageMigrator>();
        services.TryAddSingleton<IItemStore, ItemStore>();
        services.TryAddSingleton<IFeedStore, FeedStore>();
        services.TryAddSingleton<ISubscriptionStore, SubscriptionStore>();
        services.TryAddSingleton<IDigestOutbox, DigestOutbox>();
        return services;
    }

    // Reading the options validates them, so a bad Storage:Provider fails here with the validator's message.
    private static string Provider(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider;
        return StorageOptionsValidator.Providers.First(p => string.Equals(p, configured, StringComparison.OrdinalIgnoreCase));
    }

    // Validated non-empty when the provider is PostgreSql (StorageOptionsValidator).
    private static string PostgreSqlConnectionString(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>().GetConnectionString(StorageOptions.ConnectionStringName)!;

    private static InvalidOperationException UnknownProvider(string provider) =>
        new($"Storage provider '{provider}' passed validation but has no registration here.");
}
