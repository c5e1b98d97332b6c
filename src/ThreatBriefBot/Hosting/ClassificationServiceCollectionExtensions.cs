using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Hosting;

internal static class ClassificationServiceCollectionExtensions
{
    /// <summary>
    /// Reads the rule files that Core's "Classification" section names (relative to the configuration file), fails
    /// start-up when they cannot be read, and builds the classifier and the country resolver from them.
    /// </summary>
    public static IServiceCollection AddClassificationRules(this IServiceCollection services)
    {
        services.AddOptions<ClassificationOptions>().PostConfigure<ConfigurationPaths>((o, paths) =>
        {
            o.TopicsFile = paths.Resolve(o.TopicsFile);
            o.CountriesFile = paths.Resolve(o.CountriesFile);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClassificationOptions>, ClassificationOptionsValidator>());
        services.AddSingleton<ClassificationRulesSource>();
        services.AddSingleton<IItemClassifier>(sp => new KeywordItemClassifier(RulesOf(sp)));
        services.AddSingleton<ICountryResolver>(sp => new CountryGazetteer(RulesOf(sp)));
        return services;
    }

    private static ClassificationRules RulesOf(IServiceProvider services) =>
        services.GetRequiredService<ClassificationRulesSource>().Rules(services.GetRequiredService<IOptions<ClassificationOptions>>().Value);
}
