using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary><c>feeds remove NAME</c>: a feed added with <c>feeds add</c>; those in appsettings are removed there.</summary>
internal static class FeedsRemoveVerb
{
    public static Command Create(VerbRunner runner)
    {
        var name = new Argument<string>("name") { Description = "The name of a feed added with 'feeds add'" };
        var command = new Command("remove", "Remove a feed added with 'feeds add'.") { name };
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var feedName = parse.GetValue(name)!;
            if (context.Services.GetRequiredService<FeedCatalog>().Configured.Any(f => string.Equals(f.Name, feedName, StringComparison.OrdinalIgnoreCase)))
            {
                await context.Error.WriteLineAsync($"'{feedName}' is defined in appsettings (Feeds:Items); remove it there");
                return ExitCodes.BadUsage;
            }

            if (!await context.Services.GetRequiredService<IFeedStore>().RemoveFeedAsync(feedName, ct))
            {
                await context.Error.WriteLineAsync($"there is no added feed named '{feedName}' (see 'feeds list')");
                return ExitCodes.WorkFailed;
            }

            await context.Out.WriteLineAsync($"Removed feed '{feedName}'.");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
