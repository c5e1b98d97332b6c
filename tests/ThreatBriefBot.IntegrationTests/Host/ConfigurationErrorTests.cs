using System.Text.Json.Nodes;

namespace ThreatBriefBot.IntegrationTests.Host;

/// <summary>A bad setting stops the host at start-up with exit code 2 and a message naming the key.</summary>
public sealed class ConfigurationErrorTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    public static TheoryData<string, string> BadSettings => new()
    {
        { """{"Feeds":{"DefaultCron":"0 0 25 * * ?"}}""", "Feeds:DefaultCron" },
        { """{"Feeds":{"Items":[{"Name":"A","Source":"missing.xml"}]}}""", "Feeds:Items:0:Source" },
        { """{"Feeds":{"Items":[{"Name":"A","Source":"ftp://x.example/feed"}]}}""", "Feeds:Items:0:Source" },
        { """{"Digests":{"Subscriptions":[{"Name":"s","Platform":"Console","Channel":"stdout","Topics":["sports"],"Cron":"0 0 8 * * ?","TimeZone":"UTC"}]}}""", "Digests:Subscriptions:0:Topics" },
        { """{"Digests":{"Subscriptions":[{"Name":"s","Platform":"Console","Channel":"stdout","Topics":["trade"],"Cron":"every day","TimeZone":"UTC"}]}}""", "Digests:Subscriptions:0:Cron" },
        { """{"Digests":{"Subscriptions":[{"Name":"s","Platform":"Console","Channel":"stdout","Topics":["trade"],"Cron":"0 0 8 * * ?","TimeZone":"Mars/Olympus"}]}}""", "Digests:Subscriptions:0:TimeZone" },
        { """{"Digests":{"Subscriptions":[{"Name":"s","Platform":"Discord","Channel":"1","Topics":["trade"],"Cron":"0 0 8 * * ?","TimeZone":"UTC"}]}}""", "Digests:Subscriptions:0:Platform" },
        { """{"Digests":{"Subscriptions":[{"Name":"s","Platform":"Console","Channel":"stdout","Topics":["trade"],"Countries":["XX"],"Cron":"0 0 8 * * ?","TimeZone":"UTC"}]}}""", "Digests:Subscriptions:0:Countries" },
        { """{"Digests":{"MaxItemsPerTopic":0}}""", "MaxItemsPerTopic" },
        { """{"Classification":{"TopicsFile":"nowhere/topics.json"}}""", "Classification:TopicsFile" },
        { """{"Storage":{"Provider":"Oracle"}}""", "Storage:Provider" },
        { """{"Storage":{"Provider":"PostgreSql"}}""", "ConnectionStrings:ThreatBriefBot" },
        { """{"Classification":{"Thresholds":{"sports":0.5}}}""", "Classification:Thresholds" },
        { """{"Classification":{"Thresholds":{"trade":1.5}}}""", "Classification:Thresholds" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task Start_BadSetting_ExitTwoNamingTheKey(string change, string key) =>
        Assert.All(await RunWithAsync(change, "poll", "run"), result =>
        {
            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith("configuration error: ", result.Error, StringComparison.Ordinal);
            Assert.Contains(key, result.Error, StringComparison.Ordinal);
        });

    /// <summary>
    /// Values the configuration binder cannot convert. Inside a list or dictionary it used to drop the whole element
    /// silently (the host started without that subscription); elsewhere it failed with exit code 1.
    /// </summary>
    public static TheoryData<string, string> UnconvertibleSettings => new()
    {
        {
            """{"Digests":{"Subscriptions":[{"Name":"a","Platform":"Console","Channel":"stdout","Topics":["trade"],"Cron":"0 0 8 * * ?"},{"Name":"b","Platform":"Teams","Channel":"stdout","Topics":["trade"],"Cron":"0 0 8 * * ?"}]}}""",
            "Digests:Subscriptions:1:Platform: 'Teams' is not one of Console, Discord, Slack"
        },
        {
            """{"Digests":{"Subscriptions":[{"Name":"a","Platform":"Console","Channel":"stdout","Topics":["trade"],"Cron":"0 0 8 * * ?","MaxItemAge":"forever"}]}}""",
            "Digests:Subscriptions:0:MaxItemAge: 'forever' is not a duration such as 00:05:00 or 3.00:00:00 (d.hh:mm:ss)"
        },
        {
            """{"Digests":{"Subscriptions":[{"Name":"a","Platform":"7","Channel":"stdout","Topics":["trade"],"Cron":"0 0 8 * * ?"}]}}""",
            "Digests:Subscriptions:0:Platform: '7' is not one of Console, Discord, Slack"
        },
        {
            """{"Digests":{"Subscriptions":[{"Name":"a","Platform":"Teams","Channel":"stdout","Topics":["trade"],"Cron":"0 0 8 * * ?"},{"Name":"b","Platform":"Console","Channel":"stdout","Topics":["trade"],"Cron":"0 0 8 * * ?","MaxItemAge":"3 days"}]}}""",
            "Digests:Subscriptions:0:Platform: 'Teams' is not one of Console, Discord, Slack; "
                + "Digests:Subscriptions:1:MaxItemAge: '3 days' is not a duration such as 00:05:00 or 3.00:00:00 (d.hh:mm:ss)"
        },
        { """{"Digests":{"MaxItemAge":"a week"}}""", "Digests:MaxItemAge: 'a week' is not a duration such as 00:05:00 or 3.00:00:00 (d.hh:mm:ss)" },
        { """{"Feeds":{"RequestTimeout":"soon"}}""", "Feeds:RequestTimeout: 'soon' is not a duration such as 00:05:00 or 3.00:00:00 (d.hh:mm:ss)" },
        { """{"Classification":{"Thresholds":{"trade":"high"}}}""", "Classification:Thresholds:trade: 'high' is not a number" },
        { """{"Polling":{"MaxConcurrentPolls":"lots"}}""", "Polling:MaxConcurrentPolls: 'lots' is not a whole number (Int32)" },
        { """{"Alerts":{"Platform":"Teams"}}""", "Alerts:Platform: 'Teams' is not one of Console, Discord, Slack" },
        { """{"Discord":{"Enabled":"yes"}}""", "Discord:Enabled: 'yes' is not true or false" },
        { """{"Slack":{"Enabled":true,"Mode":"Socket"}}""", "Slack:Mode: 'Socket' is not one of SocketMode, Http" },
    };

    [Theory]
    [MemberData(nameof(UnconvertibleSettings))]
    public async Task Start_ValueThatDoesNotConvert_ExitTwoWithOneLineNamingKeyAndValue(string change, string message) =>
        Assert.All(await RunWithAsync(change, "poll", "run", "subscriptions list"), result =>
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Equal($"configuration error: {message}{Environment.NewLine}", result.Error);
        });

    [Fact]
    public async Task Start_ConfigurationFileIsNotJson_ExitTwoNamingTheFile()
    {
        File.WriteAllText(_sandbox.ConfigFile, "{ \"Feeds\": ");

        var result = await _sandbox.RunAsync("poll");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("appsettings.json", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ConfigurationFileMissing_ExitTwoNamingTheOption()
    {
        File.Delete(_sandbox.ConfigFile);

        var result = await _sandbox.RunAsync("poll");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--config", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Lays <paramref name="change"/> (JSON) over the configuration file, then runs each verb on it.</summary>
    private async Task<List<CliResult>> RunWithAsync(string change, params string[] verbs)
    {
        _sandbox.Configure(json => Merge(json, JsonNode.Parse(change)!.AsObject()));
        var results = new List<CliResult>();
        foreach (var verb in verbs)
        {
            results.Add(await _sandbox.RunAsync(verb.Split(' ')));
        }

        return results;
    }

    /// <summary>Lays <paramref name="change"/> over <paramref name="target"/>; arrays are replaced whole.</summary>
    private static void Merge(JsonObject target, JsonObject change)
    {
        foreach (var (name, value) in change.ToList())
        {
            if (value is JsonObject child && target[name] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }
}

/// <summary>Changes the process environment, so it runs alone: no other host may read it meanwhile.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

[Collection(nameof(ProcessEnvironment))]
public sealed class EnvironmentOverrideTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Start_EnvironmentVariableOverride_Applied()
    {
        Environment.SetEnvironmentVariable("Feeds__DefaultCron", "not a cron");
        try
        {
            var result = await _sandbox.RunAsync("poll");

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("Feeds:DefaultCron", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Feeds__DefaultCron", null);
        }
    }
}
