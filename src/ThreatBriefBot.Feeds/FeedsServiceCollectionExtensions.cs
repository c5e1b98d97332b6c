using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ThreatBriefBot.Feeds;

public static class FeedsServiceCollectionExtensions
{
    /// <summary>Binds and validates the "Feeds" section and registers the fetcher, parser and checker.</summary>
    public static IServiceCollection AddFeeds(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<FeedsOptions, FeedsOptionsValidator>().BindConfiguration(FeedsOptions.SectionName);
        services.AddHttpClient(FeedFetcher.HttpClientName, (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<FeedsOptions>>().Value;
                http.Timeout = options.RequestTimeout;
                http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FeedParser>();
        services.TryAddSingleton<FeedFetcher>();
        services.TryAddSingleton<FeedChecker>();
        return services;
    }
}
