using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ThreatBriefBot.Chat.Discord;
using ThreatBriefBot.Chat.Slack;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Delivery;

internal static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// The chat adapters (the console always, Discord and Slack when enabled), the ops channel, and the digests
    /// delivered to every subscription through the outbox.
    /// </summary>
    /// <param name="worker">
    /// The worker listens for slash commands and posts what is left of unfinished digests; a one-off verb does neither.
    /// </param>
    /// <param name="consoleChannel">Where the console adapter writes.</param>
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration, bool worker, TextWriter consoleChannel)
    {
        services.AddSingleton(new ConsoleOutput(consoleChannel));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatAdapter, ConsoleChatAdapter>());
        services.AddDiscordChat(configuration, receiveCommands: worker);
        services.AddSlackChat(configuration, receiveCommands: worker);
        services.AddSingleton<ChatAdapters>();
        services.AddSingleton<OpsChannel>();
        services.AddSingleton<SubscriptionCatalog>();
        services.AddSingleton<DigestDispatcher>();
        if (worker)
        {
            services.AddHostedService<UnfinishedDigestsRetrier>();
        }

        return services;
    }
}
