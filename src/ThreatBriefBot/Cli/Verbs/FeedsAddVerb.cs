using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Feeds;
using ThreatBriefBot.Hosting;
using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary><c>feeds add &lt;path-or-url&gt; [--name NAME] [--cron CRON]</c>: a feed kept in the store beside those in appsettings.</summary>
internal static class FeedsAddVerb
{
    public static Command Create(VerbRunner runner)
    {
        var source = new Argument<string>("source") { Description = "A file path or http(s) URL" };
        var name = new Option<string?>("--name") { Description = "The feed's name (default: from the address)" };
        var cron = new Option<string?>("--cron") { Description = "Its own Quartz cron, e.g. '0 */30 * * * ?' (default Feeds:DefaultCron)" };
        cron.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && CronCheck.Problem(value) is { } problem)
            {
                r.AddError($"--cron: {problem}");
            }
        });
        var command = new Command("add", "Add a feed beside those in appsettings; the worker and 'poll' poll both.") { source, name, cron };
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var address = parse.GetValue(source)!;
            if (!ConfigurationPaths.IsWebAddress(address))
            {
                if (!File.Exists(address))
                {
                    await context.Error.WriteLineAsync($"source: '{address}' is neither an http(s) URL nor an existing file");
                    return ExitCodes.BadUsage;
                }

                address = Path.GetFullPath(address);
            }

            var feedName = parse.GetValue(name) ?? NameFor(address);
            var catalog = context.Services.GetRequiredService<FeedCatalog>();
            if (await catalog.FindAsync(feedName, ct) is not null)
            {
                await context.Error.WriteLineAsync($"--name: a feed named '{feedName}' exists already");
                return ExitCodes.BadUsage;
            }

            // A feed that cannot be read now is refused, rather than stored to fail on every poll.
            var checkResult = await context.Services.GetRequiredService<FeedChecker>().CheckAsync(address, ct);
            if (!checkResult.Ok)
            {
                await context.Error.WriteLineAsync($"{address}: not added: {checkResult.Error}");
                return ExitCodes.WorkFailed;
            }

            await context.Services.GetRequiredService<IFeedStore>().AddFeedAsync(new FeedDefinition(feedName, address, parse.GetValue(cron), FromConfiguration: false), ct);
            await context.Out.WriteLineAsync($"Added feed '{feedName}': {address} ({checkResult.Feed?.Entries.Count ?? 0} entries now).");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>"https://www.example.com/feeds/world.xml" → "example.com-world"; "seeds/x.rss.xml" → "x".</summary>
    private static string NameFor(string address)
    {
        if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && ConfigurationPaths.IsWebAddress(address))
        {
            var host = uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host;
            var last = Path.GetFileNameWithoutExtension(uri.AbsolutePath.TrimEnd('/'));
            return string.IsNullOrEmpty(last) ? host : $"{host}-{last}";
        }

        return Path.GetFileName(address).Split('.')[0];
    }
}
