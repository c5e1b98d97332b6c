using Microsoft.Extensions.Options;
using Quartz;
using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Feeds;

namespace ThreatBriefBot.Ingestion;

/// <summary>Every feed to poll: those in configuration and those added with <c>feeds add</c>.</summary>
internal sealed class FeedCatalog(IOptions<FeedsOptions> options, IFeedStore store)
{
    public IReadOnlyList<FeedDefinition> Configured =>
        [.. options.Value.Items.Select(f => new FeedDefinition(f.Name, f.Source, string.IsNullOrWhiteSpace(f.Cron) ? null : f.Cron, FromConfiguration: true))];

    public async Task<IReadOnlyList<FeedDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        var configured = Configured;
        var names = configured.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = await store.ListFeedsAsync(cancellationToken);
        return [.. configured, .. added.Where(f => !names.Contains(f.Name))];
    }

    public async Task<FeedDefinition?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The feed's own cron, else the default.</summary>
    public string CronOf(FeedDefinition feed) => feed.Cron ?? options.Value.DefaultCron;

    /// <summary>The worker's next poll of the feed: its first cron time at or after the state's floor.</summary>
    public DateTimeOffset? NextPoll(FeedDefinition feed, FeedPollState state, DateTimeOffset now)
    {
        var notBefore = state.NextPollAt > now ? state.NextPollAt.Value.AddSeconds(-1) : now;
        return new CronExpression(CronOf(feed)).GetNextValidTimeAfter(notBefore);
    }
}
