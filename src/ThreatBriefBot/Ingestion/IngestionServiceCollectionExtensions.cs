using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Configuration;
using ThreatBriefBot.Feeds;
using ThreatBriefBot.Hosting;

namespace ThreatBriefBot.Ingestion;

internal static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the "Polling" and "Alerts" sections, and registers what polls the feeds, stores and
    /// classifies their items, and reports feeds that keep failing.
    /// </summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<PollingOptions>().BindConfigurationChecked(PollingOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.MaxFailureBackoff >= o.FailureBackoff, $"{PollingOptions.SectionName}:{nameof(PollingOptions.MaxFailureBackoff)} must not be shorter than {nameof(PollingOptions.FailureBackoff)}");
        services.AddOptionsWithValidateOnStart<AlertsOptions>().BindConfigurationChecked(AlertsOptions.SectionName).ValidateDataAnnotations();

        // A configured feed's relative path is read from the configuration file's folder, whatever the working directory.
        services.AddOptions<FeedsOptions>().PostConfigure<ConfigurationPaths>((o, paths) => o.Items.ForEach(f => f.Source = paths.Resolve(f.Source)));

        services.AddSingleton<FeedCatalog>();
        services.AddSingleton<FeedPoller>();
        services.AddSingleton<FeedPollCycle>();
        services.AddSingleton<FeedHealthNotifier>();
        return services;
    }
}
