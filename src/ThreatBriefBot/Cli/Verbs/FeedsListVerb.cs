using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary><c>feeds list [--format text|json]</c>: every feed, where it is defined, its schedule and address.</summary>
internal static class FeedsListVerb
{
    public static Command Create(VerbRunner runner)
    {
        var format = VerbRunner.FormatOption("text", "json");
        var command = new Command("list", "List every feed: its name, where it is defined, its schedule and address.") { format };
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var catalog = context.Services.GetRequiredService<FeedCatalog>();
            foreach (var feed in await catalog.ListAsync(ct))
            {
                var row = new FeedListJson(feed.Name, feed.Source, catalog.CronOf(feed), feed.FromConfiguration);
                await context.Out.WriteLineAsync(parse.GetValue(format) == "json"
                    ? JsonSerializer.Serialize(row, CliJsonContext.Default.FeedListJson)
                    : $"{row.Name}  [{(row.FromConfiguration ? "appsettings" : "added")}]  {row.Cron}  {row.Source}");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
