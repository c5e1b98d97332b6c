using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Feeds;

namespace ThreatBriefBot.Ingestion;

/// <summary>
/// Tells operators when a feed has failed <see cref="AlertsOptions.FeedFailureThreshold"/> times in a row, and
/// again when it recovers: a warning in the log, and a message in the ops channel when one is configured.
/// Once per failure streak, not at every poll, so the channel stays worth reading.
/// </summary>
internal sealed class FeedHealthNotifier(IOptions<AlertsOptions> options, ChatAdapters adapters, ILogger<FeedHealthNotifier> logger)
{
    public async Task FailedAsync(FeedPollState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.ConsecutiveFailures != options.Value.FeedFailureThreshold)
        {
            return;
        }

        Log.FeedUnhealthy(logger, state.FeedName, state.ConsecutiveFailures, state.LastError ?? "unknown error", state.NextPollAt);
        await TellOpsAsync(
            $"Feed '{state.FeedName}' has failed {state.ConsecutiveFailures} times in a row: {state.LastError}. " +
            $"It keeps being retried with back-off; next try {state.NextPollAt:yyyy-MM-dd HH:mm} UTC. See 'feeds status'.",
            cancellationToken);
    }

    public async Task RecoveredAsync(string feedName, int failuresBefore, CancellationToken cancellationToken)
    {
        if (failuresBefore < options.Value.FeedFailureThreshold)
        {
            return;
        }

        Log.FeedRecovered(logger, feedName, failuresBefore);
        await TellOpsAsync($"Feed '{feedName}' is readable again after {failuresBefore} failures.", cancellationToken);
    }

    private async Task TellOpsAsync(string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Channel))
        {
            return;
        }

        try
        {
            var target = new ChatTarget(options.Value.Platform, options.Value.Channel);
            await adapters.For(target.Platform).PostReplyAsync(target, new ChatReply(text), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The alert is also in the log; a chat outage must not fail the poll that noticed the feed.
            Log.AlertNotSent(logger, e);
        }
    }
}
