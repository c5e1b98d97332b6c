using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary><c>classify [--input FILE] [--format text|json]</c>: news items in as JSON Lines, one result per line out.</summary>
internal static class ClassifyVerb
{
    public static Command Create(VerbRunner runner)
    {
        var input = new Option<string?>("--input") { Description = "A JSON Lines file of {id, title, text}; default standard input" };
        var format = VerbRunner.FormatOption("text", "json");
        var command = new Command("classify", "Classify news items by topic and country (JSON Lines in, one result per line out).") { input, format };
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: false, async (context, _, ct) =>
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
}
