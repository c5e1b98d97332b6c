using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Chat.Slack.Fakes;
using ThreatBriefBot.Chat.Slack.Tests.Hosting;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Chat.Slack.Tests.WebApi;

/// <summary>
/// The Web API client as AddSlackChat composes it (retry pipeline, pacer, attempt timeout) on a
/// <see cref="FakeTimeProvider"/> with fixed jitter, against the loopback fake of Slack.
/// </summary>
internal sealed class SlackClientRig : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SlackClientRig(FakeSlackServer fake, FakeTimeProvider time, ServiceProvider services)
    {
        Fake = fake;
        Time = time;
        _services = services;
    }

    public FakeSlackServer Fake { get; }

    public FakeTimeProvider Time { get; }

    public SlackWebApiClient Client => _services.GetRequiredService<SlackWebApiClient>();

    public static async Task<SlackClientRig> StartAsync(IReadOnlyDictionary<string, string?>? more = null)
    {
        // A burst large enough that only scripted 429s happen.
        var fake = await FakeSlackServer.StartAsync(new FakeSlackOptions { PostMessageBurst = 1000, RetryAfterSeconds = 0 }, TestContext.Current.CancellationToken);
        var settings = SlackSandbox.SlackSettings(fake, more: new Dictionary<string, string?>
        {
            ["Slack:MinPostInterval"] = "00:00:00",
            ["Slack:RetryDelay"] = "00:00:01",
            ["Slack:RequestTimeout"] = "00:00:10",
        });
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var time = new FakeTimeProvider();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(new RetryJitter(() => 0.5))
            .AddSingleton<TimeProvider>(time);
        services.AddSlackChat(configuration, receiveCommands: false);
        return new SlackClientRig(fake, time, services.BuildServiceProvider(validateScopes: true));
    }

    /// <summary>Runs a call, moving the fake clock a second at a time while it waits.</summary>
    public Task<T> RunAsync<T>(Func<SlackWebApiClient, Task<T>> call) =>
        FakeClock.RunAsync(Time, call(Client), TimeSpan.FromSeconds(1));

    public Task RunAsync(Func<SlackWebApiClient, Task> call) =>
        FakeClock.RunAsync(Time, call(Client), TimeSpan.FromSeconds(1));

    /// <summary>The requests that reached the fake for a Web API method.</summary>
    public int RequestsTo(string method) => Fake.Requests.Count(r => r.Path.EndsWith("/api/" + method, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Assert.Empty(Fake.SchemaViolations);
        await Fake.DisposeAsync();
    }
}
