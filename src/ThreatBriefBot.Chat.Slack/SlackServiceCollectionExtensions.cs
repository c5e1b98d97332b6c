using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Slack.Commands;
using ThreatBriefBot.Chat.Slack.Http;
using ThreatBriefBot.Chat.Slack.SocketMode;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Configuration;
using ThreatBriefBot.Core.Http;

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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatRequestPreviewer, SlackRequestPreviewer>());
        var section = configuration.GetSection(SlackOptions.SectionName);
        if (!section.GetValueChecked<bool>(nameof(SlackOptions.Enabled)))
        {
            return services;
        }

        services.AddOptionsWithValidateOnStart<SlackOptions, SlackOptionsValidator>().BindConfigurationChecked(SlackOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChannelPacer>();
        services.TryAddSingleton(RetryJitter.Shared);
        services.TryAddTransient<ChannelPacingHandler>();
        services.AddHttpClient<SlackWebApiClient>((sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptions<SlackOptions>>().Value.ApiBaseUrl;

                // Each attempt has its own timeout in the pipeline, on the injected TimeProvider.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // The adapter keeps its client for the process's life; this lets it follow DNS changes.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AllowAutoRedirect = false,
            })
            .AddSlackResilience();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatAdapter, SlackChatAdapter>());
        if (!receiveCommands)
        {
            return services;
        }

        services.TryAddSingleton<SlackAdmins>();
        services.TryAddSingleton<SlashCommandRunner>();
        if (section.GetValueChecked<SlackMode>(nameof(SlackOptions.Mode)) == SlackMode.Http)
        {
            services.AddSingleton<SlackCommandEndpoint>();
            services.AddHostedService(sp => sp.GetRequiredService<SlackCommandEndpoint>());
        }
        else
        {
            services.AddSingleton<SlackSocketModeService>();
            services.AddHostedService(sp => sp.GetRequiredService<SlackSocketModeService>());
        }

        return services;
    }
}
