using System.CommandLine;
using Microsoft.Extensions.Hosting;
using ThreatBriefBot.Hosting;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary><c>run</c>, or no verb at all: the worker, until Ctrl+C or SIGTERM.</summary>
internal static class RunVerb
{
    public const string Name = "run";

    public static Command Create(VerbRunner runner)
    {
        var command = new Command(Name, "Run the worker: poll feeds and send digests on their schedules until stopped (Ctrl+C or SIGTERM).");
        command.SetAction(Action(runner));
        return command;
    }

    /// <summary>The worker's body; the root command runs it too.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(VerbRunner runner) =>
        (parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: true, async (_, host, ct) =>
        {
            await host.RunAsync(ct);
            return ExitCodes.Success;
        }, cancellationToken, HostMode.Worker);
}
