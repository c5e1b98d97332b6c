using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Discord.Gateway;
using ThreatBriefBot.Chat.Discord.Interactions;
using ThreatBriefBot.Chat.Discord.Rest;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Configuration;
using ThreatBriefBot.Core.Http;

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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatRequestPreviewer, DiscordRequestPreviewer>());
        if (!configuration.GetValueChecked<bool>($"{DiscordOptions.SectionName}:{nameof(DiscordOptions.Enabled)}"))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptionsWithValidateOnStart<DiscordOptions>().BindConfigurationChecked(DiscordOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>>(new DiscordOptionsValidator(receiveCommands)));
        services.TryAddSingleton<DiscordRateLimiter>();
        services.TryAddSingleton(RetryJitter.Shared);
        services.TryAddTransient<DiscordRateLimitHandler>();
        services.AddHttpClient<DiscordRestClient>((sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptions<DiscordOptions>>().Value.ApiBaseUrl;

                // Each attempt has its own timeout in the pipeline, on the injected TimeProvider.
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", DiscordRestClient.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // The client lives as long as the adapter; recycling connections picks up DNS changes.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
            })
            .AddDiscordResilience();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatAdapter, DiscordChatAdapter>());
        if (!receiveCommands)
        {
            return services;
        }

        services.TryAddSingleton<DiscordCommands>();
        services.TryAddSingleton<DiscordInteractionHandler>();
        var mode = Enum.TryParse<DiscordMode>(configuration[$"{DiscordOptions.SectionName}:{nameof(DiscordOptions.Mode)}"], ignoreCase: true, out var parsed)
            ? parsed
            : DiscordMode.Gateway;
        if (mode == DiscordMode.Http)
        {
            services.AddHostedService<DiscordInteractionsListener>();
        }
        else
        {
            services.AddHostedService<DiscordGatewayService>();
        }

        return services;
    }
}
