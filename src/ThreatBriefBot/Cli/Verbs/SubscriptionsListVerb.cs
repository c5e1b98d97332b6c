using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Delivery;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary><c>subscriptions list</c>: every subscription, configured and made from chat, with its channel and any pause.</summary>
internal static class SubscriptionsListVerb
{
    public static Command Create(VerbRunner runner)
    {
        var command = new Command("list", "Every subscription, configured and made from chat, with its channel and any pause.");
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var store = context.Services.GetRequiredService<ISubscriptionStore>();
            var pauses = (await store.ListPausesAsync(ct)).ToDictionary(p => p.SubscriptionId, StringComparer.Ordinal);
            foreach (var subscription in await context.Services.GetRequiredService<SubscriptionCatalog>().ListAsync(ct))
            {
                var state = pauses.TryGetValue(subscription.Id, out var pause)
                    ? $"PAUSED since {pause.PausedAt:yyyy-MM-dd HH:mm} UTC: {pause.Reason}"
                    : "active";
                await context.Out.WriteLineAsync(
                    $"{subscription.Id}  {subscription.Target}  {string.Join(",", subscription.Topics)}  '{subscription.Cron}' {subscription.TimeZone}  {state}");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
