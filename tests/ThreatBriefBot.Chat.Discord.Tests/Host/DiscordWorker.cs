using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Chat.Discord.Fakes;
using ThreatBriefBot.Cli;

namespace ThreatBriefBot.Chat.Discord.Tests.Host;

/// <summary>
/// The real worker (<c>run</c>: Quartz, SQLite, the shipped demo feeds) with Discord enabled against a fake. The
/// token is laid over the options in code, as the environment would supply it; it is never in a file.
/// </summary>
internal sealed class DiscordWorker : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _run;

    private DiscordWorker(CancellationTokenSource stop, Task<int> run, SharedWriter error)
    {
        _stop = stop;
        _run = run;
        Error = error;
    }

    public SharedWriter Error { get; }

    /// <summary>
    /// A one-second heartbeat: the fake ends a session that misses one by half an interval, and a worker starting up
    /// on a busy two-core machine can be that late with a shorter one.
    /// </summary>
    public static FakeDiscordOptions FakeOptions() => new() { HeartbeatInterval = TimeSpan.FromSeconds(1) };

    public bool Exited => _run.IsCompleted;

    public static async Task<DiscordWorker> StartAsync(CliSandbox sandbox, FakeDiscordServer fake, Action<JsonObject>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        sandbox.Configure(json =>
        {
            json["Discord"] = new JsonObject
            {
                ["Enabled"] = true,
                ["ApplicationId"] = FakeDiscordServer.ApplicationId,
                ["ApiBaseUrl"] = fake.ApiBaseUrl.ToString(),
                ["GatewayUrl"] = fake.GatewayUrl.ToString(),
                ["ReconnectDelay"] = "00:00:00.100",
            };
            json["Digests"]!["Subscriptions"] = new JsonArray();
            json["Logging"]!["LogLevel"]!["Default"] = "Warning";
            configure?.Invoke(json);
        });
        var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var error = new SharedWriter();
        var run = CliApp.RunAsync(
            ["run", "--config", sandbox.ConfigFile, "--data-dir", sandbox.DataDirectory],
            new SharedWriter(),
            error,
            services =>
            {
                services.PostConfigure<DiscordOptions>(o => o.BotToken = FakeDiscordServer.BotToken);
                configureServices?.Invoke(services);
            },
            stop.Token);
        var worker = new DiscordWorker(stop, run, error);
        var ready = fake.WaitForReadyAsync(1, stop.Token);
        if (await Task.WhenAny(ready, run, Task.Delay(Patience, stop.Token)) != ready)
        {
            await worker.DisposeAsync();
            Assert.Fail("the worker never reached the fake's gateway; its log:\n" + error);
        }

        return worker;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        var exitCode = await _run;
        _stop.Dispose();
        Assert.Equal(0, exitCode);
    }
}
