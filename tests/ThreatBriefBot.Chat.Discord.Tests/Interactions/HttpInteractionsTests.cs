using System.Net;
using System.Text.Json;
using ThreatBriefBot.Chat.Discord.Fakes;
using ThreatBriefBot.Chat.Discord.Interactions;

namespace ThreatBriefBot.Chat.Discord.Tests.Interactions;

/// <summary>The HTTP interactions endpoint (Mode Http), called by the fake with Ed25519-signed requests.</summary>
public sealed class HttpInteractionsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<(DiscordHarness Harness, Uri Endpoint)> StartAsync(TimeSpan? commandDelay = null, string deferAfter = "00:00:02")
    {
        var fake = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        var harness = await DiscordHarness.StartAsync(
            receiveCommands: true,
            settings: new Dictionary<string, string?>
            {
                ["Discord:Mode"] = "Http",
                ["Discord:PublicKey"] = fake.PublicKeyHex,
                ["Discord:InteractionsListenUrl"] = "http://127.0.0.1:0",
                ["Discord:DeferAfter"] = deferAfter,
            },
            commandDelay: commandDelay,
            fake: fake);
        var endpoint = await harness.Hosted<DiscordInteractionsListener>().Listening.WaitAsync(DiscordHarness.Patience, Token);
        return (harness, endpoint);
    }

    [Fact]
    public async Task Ping_Signed_Pong()
    {
        var (harness, endpoint) = await StartAsync();
        await using var _ = harness;

        using var response = await harness.Fake.PostPingAsync(endpoint, SignatureMode.Valid, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"type":1}""", await response.Content.ReadAsStringAsync(Token));
    }

    [Theory]
    [InlineData(SignatureMode.Tampered)]
    [InlineData(SignatureMode.Missing)]
    public async Task Ping_BadSignature_Unauthorized(SignatureMode signature)
    {
        var (harness, endpoint) = await StartAsync();
        await using var _ = harness;

        using var ping = await harness.Fake.PostPingAsync(endpoint, signature, Token);
        using var command = await harness.Fake.PostInteractionAsync(endpoint, new SlashCommandSpec("topics", new Dictionary<string, string>(), harness.Fake.AddChannel()), signature, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, command.StatusCode);
        Assert.Empty(harness.Commands.Received);
    }

    [Fact]
    public async Task Command_ReadyInTime_AnsweredInline()
    {
        var (harness, endpoint) = await StartAsync();
        await using var _ = harness;

        using var response = await harness.Fake.PostInteractionAsync(
            endpoint,
            new SlashCommandSpec("brief", new Dictionary<string, string> { ["query"] = "japan" }, harness.Fake.AddChannel()),
            SignatureMode.Valid,
            Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal(4, json.RootElement.GetProperty("type").GetInt32());
        Assert.Equal("brief japan", json.RootElement.GetProperty("data").GetProperty("content").GetString());
        Assert.Equal(64, json.RootElement.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Empty(harness.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Command_Slow_DeferredInlineThenOriginalEdited()
    {
        var (harness, endpoint) = await StartAsync(commandDelay: TimeSpan.FromSeconds(1), deferAfter: "00:00:00.200");
        await using var _ = harness;

        using var response = await harness.Fake.PostInteractionAsync(
            endpoint,
            new SlashCommandSpec("subscriptions", new Dictionary<string, string>(), harness.Fake.AddChannel()),
            SignatureMode.Valid,
            Token);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        var interaction = harness.Fake.Interactions[^1];
        await interaction.WaitForFollowUpsAsync(1, Token).WaitAsync(DiscordHarness.Patience, Token);

        Assert.Equal(5, json.RootElement.GetProperty("type").GetInt32());
        Assert.Equal(64, json.RootElement.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Equal("subscriptions", Assert.Single(interaction.FollowUps).Body.GetProperty("content").GetString());
        Assert.True(await DiscordHarness.EventuallyAsync(() => harness.Fake.Requests.Any(r => r.Method == "PATCH" && r.Path.EndsWith("/messages/@original", StringComparison.Ordinal))));
        Assert.Empty(harness.Fake.SchemaViolations);
    }
}
