using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary><c>feeds status [--format text|json]</c>: every feed's health: last success, last error, failures in a row, next poll.</summary>
internal static class FeedsStatusVerb
{
    public static Command Create(VerbRunner runner)
    {
        var format = VerbRunner.FormatOption("text", "json");
        var command = new Command("status", "Every feed's health: last success, last error, failures in a row, next poll.") { format };
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var catalog = context.Services.GetRequiredService<FeedCatalog>();
            var store = context.Services.GetRequiredService<IFeedStore>();
            var now = context.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            foreach (var feed in await catalog.ListAsync(ct))
            {
                var state = await store.GetPollStateAsync(feed.Name, ct);
                var row = FeedStatusJson.From(feed, state, catalog.NextPoll(feed, state, now));
                await context.Out.WriteLineAsync(parse.GetValue(format) == "json"
                    ? JsonSerializer.Serialize(row, CliJsonContext.Default.FeedStatusJson)
                    : $"{(row.Healthy ? "ok  " : "FAIL")}  {row.Name}  last ok: {row.LastSuccess ?? "never"}  next: {row.NextPoll ?? "-"}" +
                      (row.Healthy ? "" : $"  failures: {row.ConsecutiveFailures}  last error: {row.LastError}"));
            }

            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
