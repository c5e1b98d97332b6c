using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Commands;
using ThreatBriefBot.Core.Configuration;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Binds the "Digests" and "Classification" sections (validated on start) and registers brief and command
    /// handling. The host adds the checks that need what only it knows (Quartz crons, the enabled chat platforms,
    /// the rule files), and registers the classifier and country resolver built from those files, and the storage ports.
    /// </summary>
    public static IServiceCollection AddThreatBriefCore(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<DigestOptions>().BindConfigurationChecked(DigestOptions.SectionName).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<ClassificationOptions>().BindConfigurationChecked(ClassificationOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BriefQueryResolver>();
        services.TryAddSingleton<BriefService>();
        services.TryAddSingleton<IChatCommandHandler, ChatCommandHandler>();
        return services;
    }
}
