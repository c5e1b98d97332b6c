using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Delivery;
using ThreatBriefBot.Feeds;
using ThreatBriefBot.Ingestion;
using ThreatBriefBot.Scheduling;
using ThreatBriefBot.Storage;

namespace ThreatBriefBot.Hosting;

/// <summary>How the host runs: the long-lived worker, or one CLI verb.</summary>
internal enum HostMode
{
    Worker,
    Command,
}

/// <param name="ConfigurationFile">From <c>--config</c>; null for the default appsettings.json.</param>
/// <param name="DataDirectory">From <c>--data-dir</c>; null for the configured one.</param>
/// <param name="Settings">Extra configuration keys laid over everything else (tests use it).</param>
internal sealed record HostSettings(
    string? ConfigurationFile,
    string? DataDirectory,
    HostMode Mode,
    IReadOnlyDictionary<string, string?>? Settings = null);

/// <summary>A start-up problem in what the operator gave: exit code 2, with a message naming the setting.</summary>
internal sealed class ConfigurationProblemException(string message) : Exception(message);

/// <summary>The composition root: the one place that knows every project.</summary>
internal static class ThreatBriefBotHost
{
    public static IHost Build(HostSettings settings, TextWriter consoleChannel, Action<IServiceCollection>? configureServices = null)
    {
        var configurationFile = ConfigurationPaths.Locate(settings.ConfigurationFile);
        if (!File.Exists(configurationFile))
        {
            throw new ConfigurationProblemException($"--config: file '{configurationFile}' does not exist");
        }

        var paths = new ConfigurationPaths(configurationFile);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "ThreatBriefBot",
            ContentRootPath = paths.ConfigurationDirectory,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environments.Production,
        });

        // Later sources win: the file, then quiet logging for one-off verbs, user secrets (development only),
        // environment variables (Feeds__DefaultCron …), then the command line.
        try
        {
            builder.Configuration.AddJsonFile(paths.ConfigurationFile, optional: false, reloadOnChange: false);
        }
        catch (InvalidDataException e)
        {
            throw new ConfigurationProblemException($"{paths.ConfigurationFile}: {e.InnerException?.Message ?? e.Message}");
        }

        if (settings.Mode == HostMode.Command)
        {
            builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", "Warning")]);
        }

        if (builder.Environment.IsDevelopment())
        {
            builder.Configuration.AddUserSecrets(typeof(ThreatBriefBotHost).Assembly, optional: true);
        }

        builder.Configuration.AddEnvironmentVariables();
        var overrides = new Dictionary<string, string?>(settings.Settings ?? new Dictionary<string, string?>());
        if (settings.DataDirectory is not null)
        {
            overrides["Storage:DataDirectory"] = settings.DataDirectory;
        }

        builder.Configuration.AddInMemoryCollection(overrides);

        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });

        // Logs go to stderr so stdout carries only what the verb prints: digests, JSON lines.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        AddServices(builder.Services, builder.Configuration, paths, settings.Mode, consoleChannel);
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    private static void AddServices(IServiceCollection services, IConfiguration configuration, ConfigurationPaths paths, HostMode mode, TextWriter consoleChannel)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(paths);
        services.AddThreatBriefCore();
        services.AddClassificationRules();
        services.AddFeeds();
        services.AddStorage();
        services.AddIngestion();
        services.AddDelivery(configuration, worker: mode == HostMode.Worker, consoleChannel);
        services.AddScheduling(runSchedules: mode == HostMode.Worker);

        // Checks of other projects' settings that need what only the host knows: Quartz crons, the enabled chat platforms, the rules.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FeedsOptions>, FeedScheduleValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DigestOptions>, DigestOptionsValidator>());
    }

    /// <summary>
    /// Checks every option now, naming each bad setting, takes the worker lock for the worker (one worker delivers
    /// from a store), and brings the database schema up to date: before the worker starts, and before any verb
    /// touches the store.
    /// </summary>
    public static async Task PrepareAsync(IHost host, HostMode mode, bool migrate, CancellationToken cancellationToken)
    {
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        if (mode == HostMode.Worker)
        {
            try
            {
                host.Services.GetRequiredService<IWorkerLock>().Acquire();
            }
            catch (WorkerLockHeldException e)
            {
                throw new ConfigurationProblemException(e.Message);
            }
        }

        if (migrate)
        {
            await host.Services.GetRequiredService<IStorageMigrator>().MigrateAsync(cancellationToken);
        }
    }
}
