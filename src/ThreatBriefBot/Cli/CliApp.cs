using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Hosting;

namespace ThreatBriefBot.Cli;

/// <summary>Exit codes of ../shared/docs/cli-contract.md.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int WorkFailed = 1;
    public const int BadUsage = 2;
}

/// <summary>What a verb's body gets: the composed services, where to write, and the run's token.</summary>
internal sealed record CliContext(IServiceProvider Services, TextWriter Out, TextWriter Error, ParseResult Parse);

/// <summary>
/// The command line. Every verb builds the same host as the worker (same configuration, validation and
/// services), so what the CLI shows is what the worker does.
/// </summary>
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
        var verbs = new Verbs(output, error, configureServices);
        var root = new RootCommand("ThreatBriefBot: news feeds in, classified digests out to chat. With no verb, runs the worker.");
        root.Options.Add(ConfigOption);
        root.Options.Add(DataDirOption);
        verbs.AddTo(root);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Bad usage is exit code 2 with a one-line message, not System.CommandLine's 1 and a help page.
            var messages = parse.Errors.Select(e => string.Join(' ', e.Message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
            error.WriteLine($"error: {string.Join("; ", messages)} (see --help)");
            return Task.FromResult(ExitCodes.BadUsage);
        }

        var invocation = new InvocationConfiguration { Output = output, Error = error };
        if (parse.CommandResult.Command == root || parse.CommandResult.Command.Name == "run")
        {
            // The worker's own console lifetime handles Ctrl+C and SIGTERM with a graceful shutdown.
            invocation.ProcessTerminationTimeout = null;
        }

        return parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>Builds the host for one verb, checks the configuration, runs the body, maps failures to exit codes.</summary>
    public static async Task<int> WithHostAsync(
        ParseResult parse,
        HostMode mode,
        bool needsStore,
        TextWriter output,
        TextWriter error,
        Action<IServiceCollection>? configureServices,
        Func<CliContext, IHost, CancellationToken, Task<int>> body,
        CancellationToken cancellationToken)
    {
        try
        {
            using var host = ThreatBriefBotHost.Build(
                new HostSettings(parse.GetValue(ConfigOption), parse.GetValue(DataDirOption), mode),
                output,
                configureServices);
            await ThreatBriefBotHost.PrepareAsync(host, mode, needsStore, cancellationToken);
            return await body(new CliContext(host.Services, output, error, parse), host, cancellationToken);
        }
        catch (ConfigurationProblemException e)
        {
            await error.WriteLineAsync($"configuration error: {e.Message}");
            return ExitCodes.BadUsage;
        }
        catch (OptionsValidationException e)
        {
            await error.WriteLineAsync($"configuration error: {string.Join("; ", e.Failures)}");
            return ExitCodes.BadUsage;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            // Start-up validation reports every bad section at once; one setting may be named by two validators.
            var failures = e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures).Distinct(StringComparer.Ordinal);
            await error.WriteLineAsync($"configuration error: {string.Join("; ", failures)}");
            return ExitCodes.BadUsage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled");
            return ExitCodes.WorkFailed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Data.Common.DbException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.WorkFailed;
        }
    }
}
