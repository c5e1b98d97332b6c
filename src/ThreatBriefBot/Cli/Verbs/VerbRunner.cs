using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Hosting;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary>What a verb's body gets: the composed services, where to write, and the parsed command line.</summary>
internal sealed record CliContext(IServiceProvider Services, TextWriter Out, TextWriter Error, ParseResult Parse);

/// <summary>
/// What every verb shares: where it writes, the tests' hook into the composed services, and running its body in a
/// host built for that one run. Every verb builds the same host as the worker (same configuration, validation and
/// services), so what the CLI shows is what the worker does.
/// </summary>
internal sealed class VerbRunner(TextWriter output, TextWriter error, Action<IServiceCollection>? configureServices)
{
    /// <summary>A <c>--format</c> option accepting only <paramref name="formats"/>; the first is the default.</summary>
    public static Option<string> FormatOption(params string[] formats)
    {
        var option = new Option<string>("--format") { Description = $"Output format: {string.Join(", ", formats)}", DefaultValueFactory = _ => formats[0] };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    /// <summary>Builds the host for one verb, checks the configuration, runs the body, maps failures to exit codes.</summary>
    public async Task<int> WithHostAsync(
        ParseResult parse,
        bool needsStore,
        Func<CliContext, IHost, CancellationToken, Task<int>> body,
        CancellationToken cancellationToken,
        HostMode mode = HostMode.Command)
    {
        try
        {
            using var host = ThreatBriefBotHost.Build(
                new HostSettings(parse.GetValue(CliApp.ConfigOption), parse.GetValue(CliApp.DataDirOption), mode),
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
