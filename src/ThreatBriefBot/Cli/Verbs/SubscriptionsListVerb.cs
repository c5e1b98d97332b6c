using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Delivery;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary>
/// <c>subscriptions list</c>: every subscription, configured and made from chat, with its channel, any pause, and any
/// digest decided but not yet fully posted (what a paused channel or a platform outage keeps waiting).
/// </summary>
internal static class SubscriptionsListVerb
{
    public static Command Create(VerbRunner runner)
    {
        var command = new Command("list", "Every subscription, configured and made from chat, with its channel, any pause, and digests waiting to be posted.");
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var store = context.Services.GetRequiredService<ISubscriptionStore>();
            var outbox = context.Services.GetRequiredService<IDigestOutbox>();
            var pauses = (await store.ListPausesAsync(ct)).ToDictionary(p => p.SubscriptionId, StringComparer.Ordinal);
            foreach (var subscription in await context.Services.GetRequiredService<SubscriptionCatalog>().ListAsync(ct))
            {
                var state = pauses.TryGetValue(subscription.Id, out var pause)
                    ? $"PAUSED since {pause.PausedAt:yyyy-MM-dd HH:mm} UTC: {pause.Reason}"
                    : "active";
                var waiting = await outbox.ListUnfinishedAsync(subscription.Id, ct);
                if (waiting.Count > 0)
                {
                    var next = waiting[0].NextPart!;
                    state += $"; {waiting.Count} digest(s) waiting, {waiting.Sum(d => d.ItemIds.Count)} items, the next at message {next.Index + 1} of {waiting[0].Parts.Count}";
                }

                await context.Out.WriteLineAsync(
                    $"{subscription.Id}  {subscription.Target}  {string.Join(",", subscription.Topics)}  '{subscription.Cron}' {subscription.TimeZone}  {state}");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
