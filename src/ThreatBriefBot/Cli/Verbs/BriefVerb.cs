using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Commands;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary>
/// <c>brief &lt;query...&gt; [--since 7d] [--topic T] [--limit N] [--format text|json|discord|slack]</c>: the
/// <c>/brief</c> chat command from a terminal.
/// </summary>
internal static class BriefVerb
{
    public static Command Create(VerbRunner runner)
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
        var format = VerbRunner.FormatOption("text", "json", "discord", "slack");
        var command = new Command("brief", "The /brief command from a terminal: an on-demand digest for a country, topic or keywords.") { query, since, topic, limit, format };
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
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
}
