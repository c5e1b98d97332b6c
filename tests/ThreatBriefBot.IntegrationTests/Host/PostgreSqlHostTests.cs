using System.Text.Json.Nodes;
using ThreatBriefBot.Hosting;
using ThreatBriefBot.Storage;

namespace ThreatBriefBot.IntegrationTests.Host;

/// <summary>The real CLI and worker with <c>Storage:Provider</c> PostgreSql, on a database of the test's own.</summary>
public sealed class PostgreSqlHostTests : IAsyncLifetime
{
    private readonly CliSandbox _sqlite = new();
    private readonly CliSandbox _postgreSql = new();
    private PostgreSqlTestDatabase _database = null!;

    private Dictionary<string, string?> PostgreSqlSettings => new()
    {
        ["Storage:Provider"] = StorageOptions.PostgreSqlProvider,
        [$"ConnectionStrings:{StorageOptions.ConnectionStringName}"] = _database.ConnectionString,
    };

    public async ValueTask InitializeAsync()
    {
        _database = await PostgreSqlTestDatabase.CreateAsync(TestContext.Current.CancellationToken);

        // The test's own file in its temp folder; a deployment sets ConnectionStrings__ThreatBriefBot in the environment.
        _postgreSql.Configure(json =>
        {
            json["Storage"]!["Provider"] = StorageOptions.PostgreSqlProvider;
            json["ConnectionStrings"] = new JsonObject { [StorageOptions.ConnectionStringName] = _database.ConnectionString };
        });
    }

    public async ValueTask DisposeAsync()
    {
        _sqlite.Dispose();
        _postgreSql.Dispose();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData("japan")]
    [InlineData("ransomware")]
    [InlineData("east asia cyber")]
    public async Task PollThenBrief_SameFeeds_SameItemsAsOnSqlite(string query)
    {
        // One feed at a time, in the same order: a story carried by two feeds keeps the title and classification of
        // the feed that stored it first, and feeds polled together race for that.
        foreach (var feed in CliSandbox.ShippedConfiguration()["Feeds"]!["Items"]!.AsArray().Select(f => f!["Name"]!.GetValue<string>()))
        {
            Assert.Equal(0, (await _sqlite.RunAsync("poll", "--feed", feed)).ExitCode);
            Assert.Equal(0, (await _postgreSql.RunAsync("poll", "--feed", feed)).ExitCode);
        }

        var onSqlite = await _sqlite.RunAsync(["brief", .. query.Split(' '), "--since", "3650d", "--format", "json"]);
        var onPostgreSql = await _postgreSql.RunAsync(["brief", .. query.Split(' '), "--since", "3650d", "--format", "json"]);

        Assert.Equal(0, onPostgreSql.ExitCode);
        Assert.NotEmpty(Items(onSqlite.Out));
        Assert.Equal(Items(onSqlite.Out), Items(onPostgreSql.Out));
    }

    [Fact]
    public async Task StartWorker_SecondWorkerOnOneDatabase_RefusedNamingTheHolder()
    {
        using var first = await _postgreSql.StartWorkerAsync(PostgreSqlSettings);
        using var other = new CliSandbox();

        var refused = await Assert.ThrowsAsync<ConfigurationProblemException>(() => other.StartWorkerAsync(PostgreSqlSettings));

        Assert.Contains("backend pid", refused.Message, StringComparison.Ordinal);
        await first.StopAsync(TestContext.Current.CancellationToken);
    }

    // Each section's items with their topics, countries and sources: what a reader of the brief sees.
    private static List<string> Items(string briefJson) =>
        [.. JsonNode.Parse(briefJson)!["sections"]!.AsArray().SelectMany(section => section!["items"]!.AsArray().Select(item =>
            $"{section["topic"]}: {item!["title"]} {item["topics"]!.ToJsonString()} {item["countries"]!.ToJsonString()} {item["sources"]?.ToJsonString()}"))];
}
