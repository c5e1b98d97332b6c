using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Feeds;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary><c>feeds check &lt;path-or-url&gt;... [--format text|json]</c>: fetch and parse, store nothing.</summary>
internal static class FeedsCheckVerb
{
    public static Command Create(VerbRunner runner)
    {
        var sources = new Argument<string[]>("sources") { Description = "File paths or http(s) URLs", Arity = ArgumentArity.OneOrMore };
        var format = VerbRunner.FormatOption("text", "json");
        var command = new Command("check", "Fetch and parse feeds without storing anything; one result per argument, in order.") { sources, format };
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: false, async (context, _, ct) =>
        {
            var checker = context.Services.GetRequiredService<FeedChecker>();
            var json = parse.GetValue(format) == "json";
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
        return command;
    }
}
