using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Configuration;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Feeds;

public static class FeedsServiceCollectionExtensions
{
    /// <summary>Binds and validates the "Feeds" section and registers the fetcher, parser and checker.</summary>
    public static IServiceCollection AddFeeds(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<FeedsOptions, FeedsOptionsValidator>().BindConfigurationChecked(FeedsOptions.SectionName);
        services.AddHttpClient(FeedFetcher.HttpClientName, (sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<FeedsOptions>>().Value;
                http.Timeout = options.RequestTimeout;
                http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Gzip, deflate and brotli; the fetcher caps the decompressed size, which is the bomb guard.
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = sp.GetRequiredService<IOptions<FeedsOptions>>().Value.ConnectTimeout,

                // The fetcher follows redirects itself (counting them, catching loops, noticing permanent moves).
                AllowAutoRedirect = false,
            })
            .AddFeedsResilience();
        services.TryAddSingleton(RetryJitter.Shared);
        services.TryAddSingleton<HostThrottle>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FeedParser>();
        services.TryAddSingleton<FeedFetcher>();
        services.TryAddSingleton<FeedChecker>();
        return services;
    }
}
