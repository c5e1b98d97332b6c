using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Commands;

namespace ThreatBriefBot.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers brief and command handling. The host registers the classifier and country resolver (they are
    /// built from rule files it reads) and the storage ports.
    /// </summary>
    public static IServiceCollection AddThreatBriefCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BriefQueryResolver>();
        services.TryAddSingleton<BriefService>();
        services.TryAddSingleton<IChatCommandHandler, ChatCommandHandler>();
        return services;
    }
}
