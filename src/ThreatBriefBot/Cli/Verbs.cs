using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ThreatBriefBot.Delivery;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Commands;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Feeds;
using ThreatBriefBot.Hosting;
using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Cli;

/// <summary>The verbs of ../shared/docs/cli-contract.md.</summary>
internal sealed class Verbs(TextWriter output, TextWriter error, Action<IServiceCollection>? configureServices)
{
    private static Option<string> FormatOption(params string[] formats)
    {
        var option = new Option<string>("--format") { Description = $"Output format: {string.Join(", ", formats)}", DefaultValueFactory = _ => formats[0] };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public void AddTo(RootCommand root)
    {
        var run = new Command("run", "Run the worker: poll feeds and send digests on their schedules until stopped (Ctrl+C or SIGTERM).");
        run.SetAction(RunWorkerAsync);
        root.SetAction(RunWorkerAsync);
        root.Subcommands.Add(run);
        root.Subcommands.Add(Poll());
        root.Subcommands.Add(Brief());
        root.Subcommands.Add(Classify());
        root.Subcommands.Add(FeedsCommand());
        root.Subcommands.Add(ChatCommand());
        root.Subcommands.Add(SubscriptionsCommand());
    }

    private Task<int> WithHostAsync(ParseResult parse, bool needsStore, Func<CliContext, IHost, CancellationToken, Task<int>> body, CancellationToken cancellationToken, HostMode mode = HostMode.Command) =>
        CliApp.WithHostAsync(parse, mode, needsStore, output, error, configureServices, body, cancellationToken);

    private Task<int> RunWorkerAsync(ParseResult parse, CancellationToken cancellationToken) =>
        WithHostAsync(parse, needsStore: true, async (_, host, ct) =>
        {
            await host.RunAsync(ct);
            return ExitCodes.Success;
        }, cancellationToken, HostMode.Worker);

    private Command Poll()
    {
        var once = new Option<bool>("--once") { Description = "Poll once and exit (the only mode of this verb; the worker polls on schedules)" };
        var feedName = new Option<string?>("--feed") { Description = "Poll only the feed of this name" };
        var force = new Option<bool>("--force") { Description = "Poll even feeds that asked not to be polled yet (caching headers, Retry-After, back-off)" };
        var command = new Command("poll", "Poll the feeds now: store and classify new items, print each feed as it finishes, exit.") { once, feedName, force };
        command.SetAction((parse, cancellationToken) => WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
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

    private Command Brief()
    {
        var query = new Argument<string[]>("query") { Description = "A country (japan, JP, japanese, tokyo), a region, a topic, or keywords", Arity = ArgumentArity.OneOrMore };
        var since = new Option<string?>("--since") { Description = "How far back: 7d, 24h, 30m, 2w (default Digests:BriefWindow)" };
        since.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && !CliFormat.TryParseWindow(value, out _))
            {
                r.AddError($"--since: '{value}' is not a duration such as 7d, 24h or 30m");
            }
        });
        var topic = new Option<string[]>("--topic") { Description = "Only this topic (repeatable)", AllowMultipleArgumentsPerToken = false };
        var limit = new Option<int?>("--limit") { Description = "Items per topic (default Digests:MaxItemsPerTopic)" };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 100)
            {
                r.AddError("--limit: must be between 1 and 100");
            }
        });
        var format = FormatOption("text", "json", "discord", "slack");
        var command = new Command("brief", "The /brief command from a terminal: an on-demand digest for a country, topic or keywords.") { query, since, topic, limit, format };
        command.SetAction((parse, cancellationToken) => WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var topics = parse.GetValue(topic) ?? [];
            var known = context.Services.GetRequiredService<IItemClassifier>().TopicNames;
            if (topics.FirstOrDefault(t => !known.Contains(t, StringComparer.Ordinal)) is { } unknown)
            {
                await context.Error.WriteLineAsync($"--topic: unknown topic '{unknown}' (known: {string.Join(", ", known)})");
                return ExitCodes.BadUsage;
            }

            TimeSpan? window = parse.GetValue(since) is { } text && CliFormat.TryParseWindow(text, out var parsed) ? parsed : null;
            var result = await context.Services.GetRequiredService<BriefService>().BriefAsync(
                string.Join(' ', parse.GetValue(query) ?? []),
                new BriefSettings(window, topics.Length > 0 ? topics : null, parse.GetValue(limit)),
                ct);

            var chosenFormat = parse.GetValue(format);
            if (chosenFormat == "json")
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(BriefJson.From(result), CliJsonContext.Default.BriefJson));
            }
            else if (result.Error is not null)
            {
                await context.Error.WriteLineAsync($"{result.Error}. Did you mean: {string.Join(", ", result.Suggestions)}?");
            }
            else if (chosenFormat == "text")
            {
                await context.Out.WriteAsync(DigestTextRenderer.Render(result.Digest));
            }
            else
            {
                // The same reply the chat command gives, as the JSON bodies the platform's adapter would send.
                var platform = Enum.Parse<ChatPlatform>(chosenFormat!, ignoreCase: true);
                var previewer = context.Services.GetServices<IChatRequestPreviewer>().Single(p => p.Platform == platform);
                foreach (var request in previewer.PreviewReply(channelId: null, result.ToReply()))
                {
                    await context.Out.WriteLineAsync(request.Body);
                }
            }

            return result.Error is null ? ExitCodes.Success : ExitCodes.WorkFailed;
        }, cancellationToken));
        return command;
    }

    private Command Classify()
    {
        var input = new Option<string?>("--input") { Description = "A JSON Lines file of {id, title, text}; default standard input" };
        var format = FormatOption("text", "json");
        var command = new Command("classify", "Classify news items by topic and country (JSON Lines in, one result per line out).") { input, format };
        command.SetAction((parse, cancellationToken) => WithHostAsync(parse, needsStore: false, async (context, _, ct) =>
        {
            var classifier = context.Services.GetRequiredService<IItemClassifier>();
            var path = parse.GetValue(input);
            if (path is not null && !File.Exists(path))
            {
                await context.Error.WriteLineAsync($"--input: file '{path}' does not exist");
                return ExitCodes.BadUsage;
            }

            // The pipeline reads with its own large buffer, so the file stream needs none.
            await using var reader = path is null ? Console.OpenStandardInput() : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);

            // Console.Out flushes on every write; results for the console go to the standard output stream a batch at a time.
            await using var standardOutput = ReferenceEquals(context.Out, Console.Out) ? Console.OpenStandardOutput() : null;
            var sink = standardOutput is null ? ClassifyPipeline.SinkFor(context.Out) : ClassifyPipeline.SinkFor(standardOutput);
            var failed = await new ClassifyPipeline(classifier, parse.GetValue(format) == "json").RunAsync(reader, sink, ct);
            return failed ? ExitCodes.WorkFailed : ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private Command FeedsCommand()
    {
        var feeds = new Command("feeds", "Check, add, list and remove feeds.");

        var sources = new Argument<string[]>("sources") { Description = "File paths or http(s) URLs", Arity = ArgumentArity.OneOrMore };
        var checkFormat = FormatOption("text", "json");
        var check = new Command("check", "Fetch and parse feeds without storing anything; one result per argument, in order.") { sources, checkFormat };
        check.SetAction((parse, cancellationToken) => WithHostAsync(parse, needsStore: false, async (context, _, ct) =>
        {
            var checker = context.Services.GetRequiredService<FeedChecker>();
            var json = parse.GetValue(checkFormat) == "json";
            var arguments = parse.GetValue(sources) ?? [];
            var unread = 0;
            foreach (var source in arguments)
            {
                var result = await checker.CheckAsync(source, ct);
                unread += result.Ok ? 0 : 1;
                await context.Out.WriteLineAsync(json ? FeedCheckJson.Serialize(result) : FeedCheckText.Render(result));
            }

            return unread == arguments.Length ? ExitCodes.WorkFailed : ExitCodes.Success;
        }, cancellationToken));
        feeds.Subcommands.Add(check);

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
        var add = new Command("add", "Add a feed beside those in appsettings; the worker and 'poll' poll both.") { source, name, cron };
        add.SetAction((parse, cancellationToken) => WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
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
        feeds.Subcommands.Add(add);

        var listFormat = FormatOption("text", "json");
        var list = new Command("list", "List every feed: its name, where it is defined, its schedule and address.") { listFormat };
        list.SetAction((parse, cancellationToken) => WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var catalog = context.Services.GetRequiredService<FeedCatalog>();
            foreach (var feed in await catalog.ListAsync(ct))
            {
                var row = new FeedListJson(feed.Name, feed.Source, catalog.CronOf(feed), feed.FromConfiguration);
                await context.Out.WriteLineAsync(parse.GetValue(listFormat) == "json"
                    ? JsonSerializer.Serialize(row, CliJsonContext.Default.FeedListJson)
                    : $"{row.Name}  [{(row.FromConfiguration ? "appsettings" : "added")}]  {row.Cron}  {row.Source}");
            }

            return ExitCodes.Success;
        }, cancellationToken));
        feeds.Subcommands.Add(list);

        var statusFormat = FormatOption("text", "json");
        var status = new Command("status", "Every feed's health: last success, last error, failures in a row, next poll.") { statusFormat };
        status.SetAction((parse, cancellationToken) => WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var catalog = context.Services.GetRequiredService<FeedCatalog>();
            var store = context.Services.GetRequiredService<IFeedStore>();
            var now = context.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            foreach (var feed in await catalog.ListAsync(ct))
            {
                var state = await store.GetPollStateAsync(feed.Name, ct);
                var row = FeedStatusJson.From(feed, state, catalog.NextPoll(feed, state, now));
                await context.Out.WriteLineAsync(parse.GetValue(statusFormat) == "json"
                    ? JsonSerializer.Serialize(row, CliJsonContext.Default.FeedStatusJson)
                    : $"{(row.Healthy ? "ok  " : "FAIL")}  {row.Name}  last ok: {row.LastSuccess ?? "never"}  next: {row.NextPoll ?? "-"}" +
                      (row.Healthy ? "" : $"  failures: {row.ConsecutiveFailures}  last error: {row.LastError}"));
            }

            return ExitCodes.Success;
        }, cancellationToken));
        feeds.Subcommands.Add(status);

        var removeName = new Argument<string>("name") { Description = "The name of a feed added with 'feeds add'" };
        var remove = new Command("remove", "Remove a feed added with 'feeds add'.") { removeName };
        remove.SetAction((parse, cancellationToken) => WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var feedName = parse.GetValue(removeName)!;
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
        feeds.Subcommands.Add(remove);
        return feeds;
    }

    private Command SubscriptionsCommand()
    {
        var subscriptions = new Command("subscriptions", "List subscriptions and resume those paused because their channel refused the bot.");

        var list = new Command("list", "Every subscription, configured and made from chat, with its channel and any pause.");
        list.SetAction((parse, cancellationToken) => WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
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
        subscriptions.Subcommands.Add(list);

        var id = new Argument<string>("id") { Description = "The subscription's id (see 'subscriptions list')" };
        var resume = new Command("resume", "Send digests to a paused subscription again, once its channel is fixed.") { id };
        resume.SetAction((parse, cancellationToken) => WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
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
        subscriptions.Subcommands.Add(resume);
        return subscriptions;
    }

    private Command ChatCommand()
    {
        var words = new Argument<string[]>("command") { Description = "A chat command and its argument, e.g. 'subscribe cyberattacks japan'", Arity = ArgumentArity.OneOrMore };
        var channel = new Option<string>("--channel") { Description = "The console channel the command comes from", DefaultValueFactory = _ => "stdout" };
        var command = new Command("chat", "Send a chat command (brief, subscribe, unsubscribe, subscriptions, topics, help) as if from the console channel.") { words, channel };
        command.SetAction((parse, cancellationToken) => WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
        {
            var parts = parse.GetValue(words) ?? [];
            var target = new ChatTarget(ChatPlatform.Console, parse.GetValue(channel)!);
            var reply = await context.Services.GetRequiredService<IChatCommandHandler>().HandleAsync(
                new ChatCommand(target, Environment.UserName, parts[0], string.Join(' ', parts.Skip(1))), ct);
            await context.Services.GetRequiredService<ChatAdapters>().For(ChatPlatform.Console).PostReplyAsync(target, reply, ct);
            return reply.IsError ? ExitCodes.WorkFailed : ExitCodes.Success;
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
