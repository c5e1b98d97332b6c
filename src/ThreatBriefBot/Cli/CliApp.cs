using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Cli.Verbs;

namespace ThreatBriefBot.Cli;

/// <summary>Exit codes of ../shared/docs/cli-contract.md.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int WorkFailed = 1;
    public const int BadUsage = 2;
}

/// <summary>The command line of ../shared/docs/cli-contract.md: the verbs, one per file in Verbs/, put together.</summary>
internal static class CliApp
{
    public static readonly Option<string?> ConfigOption = new("--config")
    {
        Description = "An appsettings file to use instead of ./appsettings.json",
        Recursive = true,
    };

    public static readonly Option<string?> DataDirOption = new("--data-dir")
    {
        Description = "Where the embedded database lives (default ./data, or Storage:DataDirectory)",
        Recursive = true,
    };

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        var root = Commands(new VerbRunner(output, error, configureServices));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Bad usage is exit code 2 with a one-line message, not System.CommandLine's 1 and a help page.
            var messages = parse.Errors.Select(e => string.Join(' ', e.Message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
            error.WriteLine($"error: {string.Join("; ", messages)} (see --help)");
            return Task.FromResult(ExitCodes.BadUsage);
        }

        var invocation = new InvocationConfiguration { Output = output, Error = error };
        if (parse.CommandResult.Command == root || parse.CommandResult.Command.Name == RunVerb.Name)
        {
            // The worker's own console lifetime handles Ctrl+C and SIGTERM with a graceful shutdown.
            invocation.ProcessTerminationTimeout = null;
        }

        return parse.InvokeAsync(invocation, cancellationToken);
    }

    private static RootCommand Commands(VerbRunner runner)
    {
        var root = new RootCommand("ThreatBriefBot: news feeds in, classified digests out to chat. With no verb, runs the worker.")
        {
            RunVerb.Create(runner),
            PollVerb.Create(runner),
            BriefVerb.Create(runner),
            ClassifyVerb.Create(runner),
            new Command("feeds", "Check, add, list and remove feeds.")
            {
                FeedsCheckVerb.Create(runner),
                FeedsAddVerb.Create(runner),
                FeedsListVerb.Create(runner),
                FeedsStatusVerb.Create(runner),
                FeedsRemoveVerb.Create(runner),
            },
            ChatVerb.Create(runner),
            new Command("subscriptions", "List subscriptions and resume those paused because their channel refused the bot.")
            {
                SubscriptionsListVerb.Create(runner),
                SubscriptionsResumeVerb.Create(runner),
            },
        };
        root.Options.Add(ConfigOption);
        root.Options.Add(DataDirOption);
        root.SetAction(RunVerb.Action(runner));
        return root;
    }
}
