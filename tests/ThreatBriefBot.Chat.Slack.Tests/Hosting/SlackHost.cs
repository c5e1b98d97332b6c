using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ThreatBriefBot.Chat.Slack.Fakes;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Commands;
using ThreatBriefBot.Hosting;

namespace ThreatBriefBot.Chat.Slack.Tests.Hosting;

/// <summary>A writer that one thread may write while another reads, as a worker's console channel is.</summary>
internal sealed class SharedWriter : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_text)
        {
            _text.Append(value);
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}

/// <summary>What one CLI run printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>
/// The real host in a temporary folder (copied from the IntegrationTests' CliSandbox): the shipped
/// appsettings.json and seeds, a data directory of its own, and the test's changes laid over them.
/// </summary>
internal sealed class SlackSandbox : IDisposable
{
    public SlackSandbox()
    {
        Directory.CreateDirectory(DataDirectory);
        ConfigFile = Path.Combine(Root, "appsettings.json");
        Configure(_ => { });
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "tbb-slack-" + Guid.NewGuid().ToString("N"));

    public string DataDirectory => Path.Combine(Root, "data");

    public string ConfigFile { get; }

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

    /// <summary>Writes the configuration file: the shipped one, changed by <paramref name="change"/>.</summary>
    public void Configure(Action<JsonObject> change)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")))!.AsObject();
        var classification = json["Classification"]!.AsObject();
        classification["TopicsFile"] = Path.Combine(AppContext.BaseDirectory, "seeds", "topics.json");
        classification["CountriesFile"] = Path.Combine(AppContext.BaseDirectory, "seeds", "countries.json");
        foreach (var feed in json["Feeds"]!["Items"]!.AsArray())
        {
            feed!["Source"] = Path.Combine(AppContext.BaseDirectory, feed["Source"]!.GetValue<string>());
        }

        // The shipped console subscriptions only add noise here.
        json["Digests"]!["Subscriptions"] = new JsonArray();
        change(json);
        File.WriteAllText(ConfigFile, json.ToJsonString());
    }

    /// <summary>Builds, checks and starts the real worker host with <paramref name="settings"/> laid over the file.</summary>
    public async Task<IHost> StartWorkerAsync(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        var host = ThreatBriefBotHost.Build(new HostSettings(ConfigFile, DataDirectory, HostMode.Worker, settings), new SharedWriter(), configureServices);
        try
        {
            await ThreatBriefBotHost.PrepareAsync(host, migrate: true, TestContext.Current.CancellationToken);
            await host.StartAsync(TestContext.Current.CancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var output = new SharedWriter();
        var error = new SharedWriter();
        var code = await Cli.CliApp.RunAsync([.. args, "--config", ConfigFile, "--data-dir", DataDirectory], output, error, cancellationToken: TestContext.Current.CancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        // Pooled connections keep the database file open.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is cleaned anyway.
        }
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
