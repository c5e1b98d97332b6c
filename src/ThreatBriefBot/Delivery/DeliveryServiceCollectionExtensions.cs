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
    /// sent to every subscription.
    /// </summary>
    /// <param name="receiveCommands">Whether the adapters listen for slash commands: the worker does, a one-off verb does not.</param>
    /// <param name="consoleChannel">Where the console adapter writes.</param>
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration, bool receiveCommands, TextWriter consoleChannel)
    {
        services.AddSingleton(new ConsoleOutput(consoleChannel));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatAdapter, ConsoleChatAdapter>());
        services.AddDiscordChat(configuration, receiveCommands);
        services.AddSlackChat(configuration, receiveCommands);
        services.AddSingleton<ChatAdapters>();
        services.AddSingleton<OpsChannel>();
        services.AddSingleton<SubscriptionCatalog>();
        services.AddSingleton<DigestDispatcher>();
        return services;
    }
}
