using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Storage;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary><c>subscriptions resume ID</c>: digests go to a paused subscription again, once its channel is fixed.</summary>
internal static class SubscriptionsResumeVerb
{
    public static Command Create(VerbRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The subscription's id (see 'subscriptions list')" };
        var command = new Command("resume", "Send digests to a paused subscription again, once its channel is fixed.") { id };
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var subscriptionId = parse.GetValue(id)!;
            if (!await context.Services.GetRequiredService<ISubscriptionStore>().ResumeAsync(subscriptionId, ct))
            {
                await context.Error.WriteLineAsync($"'{subscriptionId}' is not paused (see 'subscriptions list')");
                return ExitCodes.WorkFailed;
            }

            await context.Out.WriteLineAsync($"Resumed '{subscriptionId}'; its waiting items go out with its next digest.");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
