using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Chat.Slack.Fakes;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Commands;

namespace ThreatBriefBot.Chat.Slack.Tests.Hosting;

/// <summary>The real host for Slack tests: the shared <see cref="CliSandbox"/>, and Slack settings pointing at the fake.</summary>
internal static class SlackSandbox
{
    /// <summary>A sandbox without the shipped console subscriptions: they only add noise here.</summary>
    public static CliSandbox Create() => new(json => json["Digests"]!["Subscriptions"] = new JsonArray());

    /// <summary>The admin the fake sends commands as by default.</summary>
    public const string Admin = "U0ADMIN001";

    /// <summary>Slack on the fake, with every wait short; <paramref name="more"/> overrides or adds keys.</summary>
    public static Dictionary<string, string?> SlackSettings(FakeSlackServer fake, SlackMode mode = SlackMode.SocketMode, IReadOnlyDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Slack:Enabled"] = "true",
            ["Slack:Mode"] = mode.ToString(),
            ["Slack:ApiBaseUrl"] = fake.ApiBaseUrl.ToString(),
            ["Slack:BotToken"] = FakeSlackServer.BotToken,
            ["Slack:AppToken"] = FakeSlackServer.AppToken,
            ["Slack:SigningSecret"] = FakeSlackServer.SigningSecret,
            ["Slack:CommandsListenUrl"] = "http://127.0.0.1:0",
            ["Slack:AdminUserIds:0"] = Admin,
            ["Slack:MinPostInterval"] = "00:00:00.050",
            ["Slack:RetryDelay"] = "00:00:00.050",
            ["Slack:ReconnectDelay"] = "00:00:00.050",
            ["Slack:MaxReconnectDelay"] = "00:00:00.400",
            ["Slack:KeepAliveInterval"] = "00:00:00.500",
            ["Slack:KeepAliveTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}

/// <summary>Core's command handler, with a pause before it answers and a count of the commands it ran.</summary>
internal sealed class CountingHandler(IChatCommandHandler inner, TimeSpan delay) : IChatCommandHandler
{
    private int _handled;

    public int Handled => Volatile.Read(ref _handled);

    public List<ChatCommand> Commands { get; } = [];

    /// <summary>Wraps Core's handler; the test reads this one back from the container.</summary>
    public static void Register(IServiceCollection services, TimeSpan delay)
    {
        services.AddSingleton(sp => new CountingHandler(ActivatorUtilities.CreateInstance<ChatCommandHandler>(sp), delay));
        services.AddSingleton<IChatCommandHandler>(sp => sp.GetRequiredService<CountingHandler>());
    }

    public async Task<ChatReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _handled);
        lock (Commands)
        {
            Commands.Add(command);
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        return await inner.HandleAsync(command, cancellationToken);
    }
}
