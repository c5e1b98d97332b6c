using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Delivery;
using ThreatBriefBot.Core.Feeds;

namespace ThreatBriefBot.Ingestion;

/// <summary>
/// Tells operators when a feed has failed <see cref="AlertsOptions.FeedFailureThreshold"/> times in a row, and
/// again when it recovers: a warning in the log, and a message in the ops channel when one is configured.
/// Once per failure streak, not at every poll, so the channel stays worth reading.
/// </summary>
internal sealed class FeedHealthNotifier(IOptions<AlertsOptions> options, OpsChannel ops, ILogger<FeedHealthNotifier> logger)
{
    public async Task FailedAsync(FeedPollState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.ConsecutiveFailures != options.Value.FeedFailureThreshold)
        {
            return;
        }

        Log.FeedUnhealthy(logger, state.FeedName, state.ConsecutiveFailures, state.LastError ?? "unknown error", state.NextPollAt);
        await ops.TellAsync(
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
        await ops.TellAsync($"Feed '{feedName}' is readable again after {failuresBefore} failures.", cancellationToken);
    }
}
