using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ThreatBriefBot.Chat.Slack.Fakes;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack.Tests.Hosting;

/// <summary>The fake Slack and the real worker host talking to it, with Core's command handler counted (and slowed when asked).</summary>
internal sealed class SlackRig : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly CliSandbox _sandbox = SlackSandbox.Create();

    private SlackRig(FakeSlackServer fake) => Fake = fake;

    public FakeSlackServer Fake { get; }

    public IHost Host { get; private set; } = null!;

    public CountingHandler Handler => Host.Services.GetRequiredService<CountingHandler>();

    /// <summary>Fake timings short enough for tests: pings, close delay and the ack timeout after which Slack redelivers.</summary>
    public static FakeSlackOptions FakeOptions(TimeSpan? ackTimeout = null) => new()
    {
        AckTimeout = ackTimeout ?? TimeSpan.FromSeconds(3),
        PingInterval = TimeSpan.FromMilliseconds(200),
        DisconnectCloseDelay = TimeSpan.FromMilliseconds(200),
        PostMessageInterval = TimeSpan.FromMilliseconds(50),
        RetryAfterSeconds = 0,
    };

    public static async Task<SlackRig> StartAsync(
        SlackMode mode = SlackMode.SocketMode,
        FakeSlackOptions? fakeOptions = null,
        TimeSpan handlerDelay = default,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var fake = await FakeSlackServer.StartAsync(fakeOptions ?? FakeOptions(), TestContext.Current.CancellationToken);
        var rig = new SlackRig(fake);
        try
        {
            rig.Host = await rig._sandbox.StartWorkerAsync(
                SlackSandbox.SlackSettings(fake, mode, settings),
                services => CountingHandler.Register(services, handlerDelay));
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    public IChatAdapter Adapter => Host.Services.GetServices<IChatAdapter>().Last(a => a.Platform == ChatPlatform.Slack);

    /// <summary>Waits for <paramref name="condition"/>, re-checked whenever the fake records something.</summary>
    public Task WaitUntilAsync(Func<bool> condition) =>
        Fake.WaitUntilAsync(condition, TestContext.Current.CancellationToken).WaitAsync(Patience, TestContext.Current.CancellationToken);

    /// <summary>How often the command was answered: the reply in an acknowledgement, plus response_url posts.</summary>
    public static int Answers(FakeSlashCommand command) =>
        (command.Ack.IsCompletedSuccessfully && command.Ack.Result.Payload is not null ? 1 : 0) + command.ResponseUrlPosts.Count;

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.StopAsync(CancellationToken.None);
            Host.Dispose();
        }

        await Fake.DisposeAsync();
        _sandbox.Dispose();
    }
}
