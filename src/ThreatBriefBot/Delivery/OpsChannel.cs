using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Delivery;

/// <summary>
/// Where the bot tells operators what needs a person: <c>Alerts:Platform</c> / <c>Alerts:Channel</c>. Every alert is
/// also logged by its caller, so a chat outage loses no alert; it never throws for one.
/// </summary>
internal sealed class OpsChannel(IOptions<AlertsOptions> options, ChatAdapters adapters, ILogger<OpsChannel> logger)
{
    public async Task TellAsync(string text, CancellationToken cancellationToken)
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
            Log.AlertNotSent(logger, e);
        }
    }
}
