using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Hosting;
using ThreatBriefBot.Chat.Discord.Fakes;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Discord.Tests;

/// <summary>
/// The Discord adapter as the host composes it (AddDiscordChat on a generic host), pointed at a loopback
/// <see cref="FakeDiscordServer"/>, with a recording command handler standing in for Core's.
/// </summary>
internal sealed class DiscordHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly IHost _host;

    private DiscordHarness(FakeDiscordServer fake, IHost host, RecordingCommandHandler commands)
    {
        Fake = fake;
        _host = host;
        Commands = commands;
    }

    public FakeDiscordServer Fake { get; }

    public RecordingCommandHandler Commands { get; }

    public IServiceProvider Services => _host.Services;

    public DiscordChatAdapter Adapter => Services.GetServices<IChatAdapter>().OfType<DiscordChatAdapter>().Single();

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public static async Task<DiscordHarness> StartAsync(
        FakeDiscordOptions? fakeOptions = null,
        bool receiveCommands = false,
        IReadOnlyDictionary<string, string?>? settings = null,
        TimeSpan? commandDelay = null,
        FakeDiscordServer? fake = null,
        Action<IServiceCollection>? configureServices = null,
        Func<ChatCommand, ChatReply>? reply = null)
    {
        // A fake made by the test (to set up channels or webhooks first) is owned by the harness from here.
        fake ??= await FakeDiscordServer.StartAsync(fakeOptions, Token);
        var configuration = new Dictionary<string, string?>
        {
            ["Discord:Enabled"] = "true",
            ["Discord:BotToken"] = FakeDiscordServer.BotToken,
            ["Discord:ApplicationId"] = FakeDiscordServer.ApplicationId,
            ["Discord:ApiBaseUrl"] = fake.ApiBaseUrl.ToString(),
            ["Discord:GatewayUrl"] = fake.GatewayUrl.ToString(),
            ["Discord:RetryBackoff"] = "00:00:00.050",
            ["Discord:ReconnectDelay"] = "00:00:00.100",
            ["Discord:RequestTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            // null: leave the setting out, as an operator would.
            if (value is null)
            {
                configuration.Remove(key);
            }
            else
            {
                configuration[key] = value;
            }
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddFakeLogging();
        var commands = new RecordingCommandHandler(commandDelay ?? TimeSpan.Zero, reply);
        builder.Services.AddSingleton<IChatCommandHandler>(commands);
        builder.Services.AddDiscordChat(builder.Configuration, receiveCommands);
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync(Token);
        return new DiscordHarness(fake, host, commands);
    }

    /// <summary>What happened, for a failure message: the fake's counters and the adapter's log.</summary>
    public string Describe() =>
        $"connections {Fake.ConnectionCount}, identifies {Fake.IdentifyCount}, resumes {Fake.ResumeCount}; log:\n" +
        string.Join('\n', Logs.GetSnapshot().Select(r => $"{r.Timestamp:HH:mm:ss.fff} {r.Level} {r.Id.Name}: {r.Message} {r.Exception?.Message}"));

    /// <summary>
    /// Until the adapter has taken in <paramref name="sessions"/> READY or RESUMED dispatches: the fake counts them
    /// when sent, and a connection dropped before the client read READY cannot be resumed.
    /// </summary>
    public async Task WaitForSessionAsync(int sessions = 1)
    {
        await Fake.WaitForReadyAsync(sessions, Token).WaitAsync(Patience, Token);
        Assert.True(
            await EventuallyAsync(() => Logs.GetSnapshot().Count(r => r.Id.Name is "DiscordGatewayReady" or "DiscordGatewayResumed") >= sessions),
            $"the adapter did not see session {sessions}; {Describe()}");
    }

    /// <summary>The adapter's answer to an interaction the fake sent.</summary>
    public async Task<RecordedCallback> AnswerOfAsync(FakeInteraction interaction)
    {
        try
        {
            return await interaction.Callback.WaitAsync(Patience, Token);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"interaction {interaction.Id} was never answered; {Describe()}");
            throw;
        }
    }

    public T Hosted<T>() => Services.GetServices<IHostedService>().OfType<T>().Single();

    /// <summary>Polls <paramref name="condition"/> until it holds or <see cref="Patience"/> runs out.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(25, Token);
        }

        return true;
    }

    /// <summary>Every body the adapter sent in the test must have passed the fake's schema and limit checks.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        var violations = Fake.SchemaViolations;
        await Fake.DisposeAsync();
        Assert.Empty(violations);
    }
}

/// <summary>
/// Core's command handler, reduced to what the adapter needs: it records each command and echoes it (or answers
/// with the test's reply).
/// </summary>
internal sealed class RecordingCommandHandler(TimeSpan delay, Func<ChatCommand, ChatReply>? reply) : IChatCommandHandler
{
    public ConcurrentQueue<ChatCommand> Received { get; } = new();

    public async Task<ChatReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        Received.Enqueue(command);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        return reply?.Invoke(command) ?? new ChatReply($"{command.Name} {command.Argument}".Trim(), Ephemeral: command.Name == "topics");
    }
}
