using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ThreatBriefBot.Chat.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Discord adapter. The request previewer (for <c>brief --format discord</c>) is always there; the
    /// outbound adapter only when <c>Discord:Enabled</c>, and the inbound command listener only when
    /// <paramref name="receiveCommands"/> too (the worker, not a one-off CLI verb).
    /// </summary>
    public static IServiceCollection AddDiscordChat(this IServiceCollection services, IConfiguration configuration, bool receiveCommands)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
