using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Feeds;
using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary><c>poll [--once] [--feed NAME] [--force]</c>: poll the feeds now, print each as it finishes, exit.</summary>
internal static class PollVerb
{
    public static Command Create(VerbRunner runner)
    {
        var once = new Option<bool>("--once") { Description = "Poll once and exit (the only mode of this verb; the worker polls on schedules)" };
        var feedName = new Option<string?>("--feed") { Description = "Poll only the feed of this name" };
        var force = new Option<bool>("--force") { Description = "Poll even feeds that asked not to be polled yet (caching headers, Retry-After, back-off)" };
        var command = new Command("poll", "Poll the feeds now: store and classify new items, print each feed as it finishes, exit.") { once, feedName, force };
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var catalog = context.Services.GetRequiredService<FeedCatalog>();
            var feeds = await catalog.ListAsync(ct);
            if (parse.GetValue(feedName) is { } name)
            {
                feeds = [.. feeds.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))];
                if (feeds.Count == 0)
                {
                    await context.Error.WriteLineAsync($"--feed: there is no feed named '{name}' (see 'feeds list')");
                    return ExitCodes.BadUsage;
                }
            }

            if (feeds.Count == 0)
            {
                await context.Error.WriteLineAsync("no feeds are configured: add some under Feeds:Items in appsettings.json, or with 'feeds add'");
                return ExitCodes.BadUsage;
            }

            var clock = context.Services.GetRequiredService<TimeProvider>();
            var started = clock.GetTimestamp();
            var gate = new SemaphoreSlim(1, 1);
            var reports = await context.Services.GetRequiredService<FeedPollCycle>().RunAsync(feeds, parse.GetValue(force), async (report, token) =>
            {
                // Each feed is printed as it finishes, so a long cycle shows its progress.
                await gate.WaitAsync(token);
                try
                {
                    await context.Out.WriteLineAsync(report switch
                    {
                        { Skipped: true } => $"{report.Feed}: not due until {report.NotDueUntil:yyyy-MM-dd HH:mm:ss} UTC (--force polls it anyway)",
                        { Failed: true } => $"{report.Feed}: FAILED: {report.Error}",
                        { Status: FeedFetchStatus.NotModified } => $"{report.Feed}: not modified",
                        _ => $"{report.Feed}: {report.Added} new, {report.Merged} merged into stories from other feeds, {report.Seen} already seen",
                    });
                }
                finally
                {
                    gate.Release();
                }
            }, ct);

            var failures = reports.Count(r => r.Failed);
            await context.Out.WriteLineAsync(
                $"{reports.Count} feeds in {clock.GetElapsedTime(started).TotalSeconds:0.0} s: {reports.Sum(r => r.Added)} new, " +
                $"{reports.Sum(r => r.Merged)} merged, {reports.Sum(r => r.Seen)} already seen, {failures} failed, {reports.Count(r => r.Skipped)} not due");
            return failures == feeds.Count ? ExitCodes.WorkFailed : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
