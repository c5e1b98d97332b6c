using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Delivery;

namespace ThreatBriefBot.Cli.Verbs;

/// <summary><c>chat &lt;command&gt;... [--channel C]</c>: a chat command as if from the console channel.</summary>
internal static class ChatVerb
{
    public static Command Create(VerbRunner runner)
    {
        var words = new Argument<string[]>("command") { Description = "A chat command and its argument, e.g. 'subscribe cyberattacks japan'", Arity = ArgumentArity.OneOrMore };
        var channel = new Option<string>("--channel") { Description = "The console channel the command comes from", DefaultValueFactory = _ => "stdout" };
        var command = new Command("chat", "Send a chat command (brief, subscribe, unsubscribe, subscriptions, topics, help) as if from the console channel.") { words, channel };
        command.SetAction((parse, cancellationToken) => runner.WithHostAsync(parse, needsStore: true, async (context, _, ct) =>
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
}
