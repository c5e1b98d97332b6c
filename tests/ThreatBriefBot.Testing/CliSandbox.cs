using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ThreatBriefBot.Cli;
using ThreatBriefBot.Hosting;

namespace ThreatBriefBot.Testing;

/// <summary>What one CLI run printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>
/// A sandbox for the real CLI and host: a temporary data directory and a configuration file made from the
/// shipped appsettings.json (copied beside the tests with the seeds), with the test's changes laid over it.
/// </summary>
/// <remarks>Shared by every test project that runs the real host, through ThreatBriefBot.Testing.</remarks>
public sealed class CliSandbox : IDisposable
{
    private readonly Action<JsonObject> _baseline;

    /// <param name="baseline">Laid over the shipped configuration before every test change, e.g. to drop its subscriptions.</param>
    public CliSandbox(Action<JsonObject>? baseline = null)
    {
        _baseline = baseline ?? (_ => { });
        Directory.CreateDirectory(DataDirectory);
        ConfigFile = Path.Combine(Root, "appsettings.json");
        Configure(_ => { });
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "tbb-host-" + Guid.NewGuid().ToString("N"));

    public string DataDirectory => Path.Combine(Root, "data");

    public string ConfigFile { get; }

    /// <summary>The shipped configuration, with rule files pointing at the shipped seeds.</summary>
    public static JsonObject ShippedConfiguration()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")))!.AsObject();
        var classification = json["Classification"]!.AsObject();
        classification["TopicsFile"] = Path.Combine(AppContext.BaseDirectory, "seeds", "topics.json");
        classification["CountriesFile"] = Path.Combine(AppContext.BaseDirectory, "seeds", "countries.json");
        foreach (var feed in json["Feeds"]!["Items"]!.AsArray())
        {
            feed!["Source"] = Path.Combine(AppContext.BaseDirectory, feed["Source"]!.GetValue<string>());
        }

        return json;
    }

    /// <summary>Writes the configuration file: the shipped one, changed by <paramref name="change"/>.</summary>
    public void Configure(Action<JsonObject> change)
    {
        var json = ShippedConfiguration();
        _baseline(json);
        change(json);
        File.WriteAllText(ConfigFile, json.ToJsonString());
    }

    public void WriteFile(string name, string content) => File.WriteAllText(Path.Combine(Root, name), content);

    public async Task<CliResult> RunAsync(string[] args, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        var output = new SharedWriter();
        var error = new SharedWriter();
        var code = await CliApp.RunAsync([.. args, "--config", ConfigFile, "--data-dir", DataDirectory], output, error, configureServices, cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null, TestContext.Current.CancellationToken);

    /// <summary>Builds, checks and starts the real worker with <paramref name="settings"/> laid over the file.</summary>
    public async Task<IHost> StartWorkerAsync(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null, TextWriter? console = null)
    {
        var host = ThreatBriefBotHost.Build(new HostSettings(ConfigFile, DataDirectory, HostMode.Worker, settings), console ?? new SharedWriter(), configureServices);
        try
        {
            await ThreatBriefBotHost.PrepareAsync(host, HostMode.Worker, migrate: true, TestContext.Current.CancellationToken);
            await host.StartAsync(TestContext.Current.CancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
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
            // SQLite may still hold the file for a moment on slow machines; the temp folder is cleaned anyway.
        }
    }
}
