using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ThreatBriefBot.Storage;

// Reads ConnectionStrings from the configuration: the connection string is not part of the "Storage" section.
internal sealed class StorageOptionsValidator(IConfiguration configuration) : IValidateOptions<StorageOptions>
{
    internal static readonly string[] Providers = [StorageOptions.SqliteProvider, StorageOptions.PostgreSqlProvider];

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        List<string>? failures = null;
        const string Section = StorageOptions.SectionName;

        if (!Providers.Contains(options.Provider, StringComparer.OrdinalIgnoreCase))
        {
            (failures ??= []).Add(
                $"{Section}:{nameof(StorageOptions.Provider)} must be one of: {string.Join(", ", Providers)}; was '{options.Provider}'.");
        }

        if (string.Equals(options.Provider, StorageOptions.PostgreSqlProvider, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(StorageOptions.ConnectionStringName)))
            {
                (failures ??= []).Add(
                    $"ConnectionStrings:{StorageOptions.ConnectionStringName} is required when {Section}:{nameof(StorageOptions.Provider)} is "
                    + $"{StorageOptions.PostgreSqlProvider} (set ConnectionStrings__{StorageOptions.ConnectionStringName} in the environment).");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (string.IsNullOrWhiteSpace(options.DataDirectory))
            {
                (failures ??= []).Add(
                    $"{Section}:{nameof(StorageOptions.DataDirectory)} is required when {Section}:{nameof(StorageOptions.ConnectionString)} is not set.");
            }

            if (string.IsNullOrWhiteSpace(options.DatabaseFile) || Path.GetFileName(options.DatabaseFile) != options.DatabaseFile)
            {
                (failures ??= []).Add(
                    $"{Section}:{nameof(StorageOptions.DatabaseFile)} must be a file name (the folder goes in {Section}:{nameof(StorageOptions.DataDirectory)}); was '{options.DatabaseFile}'.");
            }
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
