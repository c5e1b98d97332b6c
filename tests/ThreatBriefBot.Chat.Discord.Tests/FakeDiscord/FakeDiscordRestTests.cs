using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Chat.Discord.Fakes;

namespace ThreatBriefBot.Chat.Discord.Tests.FakeDiscord;

/// <summary>The fake's REST side against a raw HttpClient: validation, rate limits, nonces and interaction rules.</summary>
public sealed class FakeDiscordRestTests
{
    private const string GoodBody = """
        {"content":"Daily digest","allowed_mentions":{"parse":[]},
         "embeds":[{"title":"Build status","description":"3 passed","color":15548997,
           "fields":[{"name":"main","value":"ok","inline":true}],
           "footer":{"text":"generated"},"timestamp":"2026-08-06T12:00:00.000Z","url":"https://example.com/a"}]}
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateMessage_GoodBody_200WithMessageAndRateLimitHeaders()
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        using var http = Client(server);
        var channel = server.AddChannel();

        using var response = await http.PostAsync($"channels/{channel}/messages", Json(GoodBody), Token);
        using var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(server.SchemaViolations);
        Assert.Equal(channel, message.RootElement.GetProperty("channel_id").GetString());
        Assert.Equal("rich", message.RootElement.GetProperty("embeds")[0].GetProperty("type").GetString());
        Assert.Equal(message.RootElement.GetProperty("id").GetString(), Assert.Single(server.Messages(channel)).Id);
        Assert.Equal("5", Header(response, "X-RateLimit-Limit"));
        Assert.Equal("4", Header(response, "X-RateLimit-Remaining"));
        Assert.InRange(double.Parse(Header(response, "X-RateLimit-Reset-After"), CultureInfo.InvariantCulture), 0.001, 1.0);
        Assert.InRange(double.Parse(Header(response, "X-RateLimit-Reset"), CultureInfo.InvariantCulture), 1.7e9, 1e11);
        Assert.False(string.IsNullOrEmpty(Header(response, "X-RateLimit-Bucket")));
    }

    public static TheoryData<string, string, string> OversizedBodies => new()
    {
        { $$"""{"embeds":[{"title":"{{new string('t', 257)}}"}]}""", "/embeds/0/title", "BASE_TYPE_MAX_LENGTH" },
        { $$"""{"content":"{{new string('c', 2001)}}"}""", "/content", "BASE_TYPE_MAX_LENGTH" },
        { $$"""{"embeds":[{"description":"{{new string('a', 4096)}}"},{"description":"{{new string('b', 1905)}}"}]}""", "/embeds", "MAX_EMBED_SIZE_EXCEEDED" },
        { """{"content":"hi","allowed_mentions":{"parse":["users"],"users":["1"]}}""", "/allowed_mentions/parse", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE" },
        { """{"content":"hi","allowed_mentions":{"users":["not-a-snowflake"]}}""", "/allowed_mentions/users/0", "STRING_TYPE_REGEX" },
    };

    [Theory]
    [MemberData(nameof(OversizedBodies))]
    public async Task CreateMessage_BodyBreaksALimit_400Code50035WithErrorsAndViolation(string body, string errorPath, string code)
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        using var http = Client(server);
        var channel = server.AddChannel();

        using var response = await http.PostAsync($"channels/{channel}/messages", Json(body), Token);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(50035, error.RootElement.GetProperty("code").GetInt32());
        var node = error.RootElement.GetProperty("errors");
        foreach (var segment in errorPath.Split('/').Skip(1))
        {
            node = node.GetProperty(segment);
        }

        Assert.Contains(node.GetProperty("_errors").EnumerateArray(), e => e.GetProperty("code").GetString() == code);
        Assert.Contains(server.SchemaViolations, v => v.Contains($"{errorPath}: {code}", StringComparison.Ordinal));
        Assert.Empty(server.Messages(channel));
    }

    [Fact]
    public async Task CreateMessage_EmptyBody_400Code50006()
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        using var http = Client(server);

        using var response = await http.PostAsync($"channels/{server.AddChannel()}/messages", Json("""{"content":""}"""), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(50006, await CodeAsync(response));
    }

    [Theory]
    [InlineData(ChannelState.Unknown, HttpStatusCode.NotFound, 10003)]
    [InlineData(ChannelState.MissingAccess, HttpStatusCode.Forbidden, 50001)]
    [InlineData(ChannelState.MissingPermissions, HttpStatusCode.Forbidden, 50013)]
    public async Task CreateMessage_ChannelState_DiscordError(ChannelState state, HttpStatusCode status, int code)
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        using var http = Client(server);

        using var response = await http.PostAsync($"channels/{server.AddChannel(state)}/messages", Json(GoodBody), Token);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, await CodeAsync(response));
        Assert.Equal(status == HttpStatusCode.Forbidden ? 1 : 0, server.InvalidRequests);
    }

    [Fact]
    public async Task CreateMessage_WrongToken_401AndCountedInvalid()
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        using var http = Client(server, token: "wrong");

        using var response = await http.PostAsync($"channels/{server.AddChannel()}/messages", Json(GoodBody), Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"message":"401: Unauthorized","code":0}""", await response.Content.ReadAsStringAsync(Token));
        Assert.Equal(1, server.InvalidRequests);
    }

    [Fact]
    public async Task CreateMessage_BucketExhausted_429WithRetryAfterAndScopeUser()
    {
        await using var server = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { MessageBucketLimit = 2, MessageBucketWindow = TimeSpan.FromSeconds(30) }, Token);
        using var http = Client(server);
        var channel = server.AddChannel();
        var other = server.AddChannel();

        for (var i = 0; i < 2; i++)
        {
            using var ok = await http.PostAsync($"channels/{channel}/messages", Json(GoodBody), Token);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await http.PostAsync($"channels/{channel}/messages", Json(GoodBody), Token);
        using var otherChannel = await http.PostAsync($"channels/{other}/messages", Json(GoodBody), Token);
        using var body = JsonDocument.Parse(await limited.Content.ReadAsStringAsync(Token));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("0", Header(limited, "X-RateLimit-Remaining"));
        Assert.Equal("user", Header(limited, "X-RateLimit-Scope"));
        Assert.InRange(int.Parse(Header(limited, "Retry-After"), CultureInfo.InvariantCulture), 29, 30);
        Assert.Equal("You are being rate limited.", body.RootElement.GetProperty("message").GetString());
        Assert.InRange(body.RootElement.GetProperty("retry_after").GetDouble(), 28.0, 30.0);
        Assert.False(body.RootElement.GetProperty("global").GetBoolean());
        Assert.False(limited.Headers.Contains("X-RateLimit-Global"));
        Assert.Equal(HttpStatusCode.OK, otherChannel.StatusCode);
        Assert.Equal(Header(limited, "X-RateLimit-Bucket"), Header(otherChannel, "X-RateLimit-Bucket"));
        Assert.Equal(2, server.Messages(channel).Count);
        Assert.Equal((1, 1), (server.RateLimitedResponses, server.InvalidRequests));
    }

    [Theory]
    [InlineData(RateLimitKind.Global, "global", true, 1)]
    [InlineData(RateLimitKind.Shared, "shared", false, 0)]
    public async Task FailNext_Kind_429OfThatScope(RateLimitKind kind, string scope, bool global, int invalid)
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        using var http = Client(server);
        server.FailNext(1, kind, TimeSpan.FromMilliseconds(150));
        var channel = server.AddChannel();

        using var limited = await http.PostAsync($"channels/{channel}/messages", Json(GoodBody), Token);
        using var body = JsonDocument.Parse(await limited.Content.ReadAsStringAsync(Token));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(scope, Header(limited, "X-RateLimit-Scope"));
        Assert.Equal(global, limited.Headers.Contains("X-RateLimit-Global"));
        Assert.Equal(global, body.RootElement.GetProperty("global").GetBoolean());
        Assert.Equal(0.15, body.RootElement.GetProperty("retry_after").GetDouble());
        Assert.Equal(invalid, server.InvalidRequests);
        Assert.Empty(server.Messages(channel));
    }

    [Fact]
    public async Task FailNext_Cloudflare_Html429ForEveryRouteUntilRetryAfter()
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        using var http = Client(server);
        server.FailNext(1, RateLimitKind.Cloudflare, TimeSpan.FromSeconds(30));

        using var banned = await http.PostAsync($"channels/{server.AddChannel()}/messages", Json(GoodBody), Token);
        using var stillBanned = await http.GetAsync("gateway/bot", Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, banned.StatusCode);
        Assert.Equal("text/html", banned.Content.Headers.ContentType?.MediaType);
        Assert.Contains("1015", await banned.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.False(banned.Headers.Contains("X-RateLimit-Scope"));
        Assert.Equal(HttpStatusCode.TooManyRequests, stillBanned.StatusCode);
        Assert.Equal(2, server.InvalidRequests);
    }

    [Fact]
    public async Task CreateMessage_EnforceNonceRepeated_SameMessageRecordedOnce()
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        using var http = Client(server);
        var channel = server.AddChannel();
        const string Body = """{"content":"once","nonce":"digest-42","enforce_nonce":true}""";

        using var first = await http.PostAsync($"channels/{channel}/messages", Json(Body), Token);
        using var second = await http.PostAsync($"channels/{channel}/messages", Json(Body), Token);
        using var firstMessage = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Token));
        using var secondMessage = JsonDocument.Parse(await second.Content.ReadAsStringAsync(Token));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(firstMessage.RootElement.GetProperty("id").GetString(), secondMessage.RootElement.GetProperty("id").GetString());
        Assert.Equal("digest-42", Assert.Single(server.Messages(channel)).Nonce);
    }

    [Fact]
    public async Task ExecuteWebhook_WaitAndNoWait_200MessageOr204()
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        using var http = Client(server, token: null);
        var (id, _, url) = server.AddWebhook();

        using var quiet = await http.PostAsync(url, Json("""{"content":"a"}"""), Token);
        using var waited = await http.PostAsync(new Uri(url + "?wait=true"), Json("""{"content":"b"}"""), Token);
        using var unknown = await http.PostAsync(new Uri(server.ApiBaseUrl, "webhooks/1/nope"), Json("""{"content":"c"}"""), Token);

        Assert.Equal(HttpStatusCode.NoContent, quiet.StatusCode);
        Assert.Equal(HttpStatusCode.OK, waited.StatusCode);
        Assert.Equal(10015, await CodeAsync(unknown));
        Assert.Equal(["a", "b"], server.WebhookMessages(id).Select(m => m.Body.GetProperty("content").GetString()));
    }

    [Fact]
    public async Task PutCommands_BulkOverwrite_IdsFilledAndRegistered()
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        using var http = Client(server);
        const string Commands = """
            [{"name":"brief","type":1,"description":"Post a brief","default_member_permissions":"16",
              "options":[{"type":3,"name":"query","description":"Topic or country","required":true,"autocomplete":true}]}]
            """;

        using var response = await http.PutAsync($"applications/{FakeDiscordServer.ApplicationId}/guilds/200000000000000001/commands", Json(Commands), Token);
        using var invalid = await http.PutAsync($"applications/{FakeDiscordServer.ApplicationId}/commands", Json("""[{"name":"Brief","description":""}]"""), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var command = Assert.Single(server.RegisteredCommands("200000000000000001"));
        Assert.Equal(FakeDiscordServer.ApplicationId, command.GetProperty("application_id").GetString());
        Assert.Equal("16", command.GetProperty("default_member_permissions").GetString());
        Assert.False(string.IsNullOrEmpty(command.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Empty(server.RegisteredCommands());
    }

    [Fact]
    public async Task Interaction_CallbackRules_DuplicateLateAndFollowUps()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));
        await using var server = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { HeartbeatInterval = TimeSpan.FromSeconds(5), TimeProvider = time }, Token);
        using var http = Client(server, token: null);
        using var gateway = await RawGateway.ConnectAsync(server.GatewayUrl, Token);
        await gateway.ReceiveOpAsync(10, Token);
        await gateway.SendAsync(RawGateway.Identify(FakeDiscordServer.BotToken), Token);
        await server.WaitForReadyAsync(1, Token);
        var spec = new SlashCommandSpec("brief", new Dictionary<string, string> { ["query"] = "japan" }, server.AddChannel());
        var answered = await server.SendCommandAsync(spec, Token);
        var late = await server.SendCommandAsync(spec, Token);

        using var followUpTooEarly = await http.PostAsync(InteractionWebhook(server, answered), Json("""{"content":"x"}"""), Token);
        using var defer = await http.PostAsync(Callback(server, answered), Json("""{"type":5,"data":{"flags":64}}"""), Token);
        using var again = await http.PostAsync(Callback(server, answered), Json("""{"type":4,"data":{"content":"x"}}"""), Token);
        using var edit = await http.PatchAsync(new Uri(InteractionWebhook(server, answered) + "/messages/@original"), Json("""{"content":"Queued."}"""), Token);
        time.Advance(TimeSpan.FromSeconds(3.5));
        using var tooLate = await http.PostAsync(Callback(server, late), Json("""{"type":4,"data":{"content":"x"}}"""), Token);

        Assert.Equal((HttpStatusCode.NotFound, 10015), (followUpTooEarly.StatusCode, await CodeAsync(followUpTooEarly)));
        Assert.Equal(HttpStatusCode.NoContent, defer.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, 40060), (again.StatusCode, await CodeAsync(again)));
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, 10062), (tooLate.StatusCode, await CodeAsync(tooLate)));
        var callback = await answered.Callback;
        Assert.Equal((5, 204), (callback.Type, callback.StatusServed));
        Assert.Equal("Queued.", Assert.Single(answered.FollowUps).Body.GetProperty("content").GetString());
        Assert.Equal(404, (await late.Callback).StatusServed);
        Assert.Empty(server.SchemaViolations);
    }

    private static Uri Callback(FakeDiscordServer server, FakeInteraction interaction) =>
        new(server.ApiBaseUrl, $"interactions/{interaction.Id}/{interaction.Token}/callback");

    private static Uri InteractionWebhook(FakeDiscordServer server, FakeInteraction interaction) =>
        new(server.ApiBaseUrl, $"webhooks/{FakeDiscordServer.ApplicationId}/{interaction.Token}");

    private static HttpClient Client(FakeDiscordServer server, string? token = FakeDiscordServer.BotToken)
    {
        var http = new HttpClient { BaseAddress = server.ApiBaseUrl };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("DiscordBot (https://example.invalid, 1.0)");
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", token);
        }

        return http;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Header(HttpResponseMessage response, string name) => string.Join(",", response.Headers.GetValues(name));

    private static async Task<int> CodeAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        return body.RootElement.GetProperty("code").GetInt32();
    }
}
