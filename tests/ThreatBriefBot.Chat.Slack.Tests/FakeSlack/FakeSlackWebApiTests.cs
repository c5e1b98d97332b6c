using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatBriefBot.Chat.Slack.Fakes;
using static ThreatBriefBot.Chat.Slack.Tests.FakeSlack.FakeSlackTestKit;

namespace ThreatBriefBot.Chat.Slack.Tests.FakeSlack;

public sealed class FakeSlackWebApiTests
{
    [Fact]
    public async Task PostMessage_DigestJson_OkWithIncreasingTsAndSpecShapedResponse()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();

        var (response, first) = await CallAsync(http, fake, "chat.postMessage", DigestBody(channel));
        var (_, second) = await CallAsync(http, fake, "chat.postMessage", new JsonObject { ["channel"] = channel, ["text"] = "reply", ["thread_ts"] = first.GetProperty("ts").GetString() }.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(first.GetProperty("ok").GetBoolean(), first.ToString());
        Assert.Equal(channel, first.GetProperty("channel").GetString());
        Assert.Matches(@"^\d{10}\.\d{6}$", first.GetProperty("ts").GetString());
        Assert.True(string.CompareOrdinal(second.GetProperty("ts").GetString(), first.GetProperty("ts").GetString()) > 0);
        Assert.Empty(MessageValidator.ValidateResponse("success", first));
        var messages = fake.Messages(channel);
        Assert.Equal([first.GetProperty("ts").GetString(), second.GetProperty("ts").GetString()], messages.Select(m => m.Ts));
        Assert.Equal(first.GetProperty("ts").GetString(), messages[1].ThreadTs);
        Assert.Empty(fake.SchemaViolations);
    }

    [Fact]
    public async Task PostMessage_FormBodyWithBlocksString_OkAndRecordedParsed()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        var blocks = JsonNode.Parse(DigestBody(channel))!["blocks"]!.ToJsonString();
        using var form = new FormUrlEncodedContent([new("token", FakeSlackServer.BotToken), new("channel", channel), new("text", "fallback"), new("blocks", blocks)]);

        var (_, body) = await CallAsync(http, fake, "chat.postMessage", await form.ReadAsStringAsync(TestContext.Current.CancellationToken), token: null,
            contentType: "application/x-www-form-urlencoded");

        Assert.True(body.GetProperty("ok").GetBoolean(), body.ToString());
        Assert.Equal(JsonValueKind.Array, Assert.Single(fake.Messages(channel)).Body.GetProperty("blocks").ValueKind);
        Assert.Empty(fake.SchemaViolations);
    }

    [Theory]
    [InlineData(null, "not_authed")]
    [InlineData("xoxb-wrong", "invalid_auth")]
    [InlineData(FakeSlackServer.AppToken, "not_allowed_token_type")]
    public async Task PostMessage_BadToken_AnswersOkFalse(string? token, string error)
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        var (response, body) = await CallAsync(http, fake, "chat.postMessage", DigestBody(fake.AddChannel()), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(error, body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(AuthState.InvalidAuth, "invalid_auth")]
    [InlineData(AuthState.AccountInactive, "account_inactive")]
    public async Task PostMessage_AuthState_AnswersOkFalse(AuthState state, string error)
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        fake.SetAuthState(state);

        var (_, body) = await CallAsync(http, fake, "chat.postMessage", DigestBody(fake.AddChannel()));

        Assert.Equal(error, body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(ChannelState.Missing, "channel_not_found")]
    [InlineData(ChannelState.NotInChannel, "not_in_channel")]
    [InlineData(ChannelState.Archived, "is_archived")]
    public async Task PostMessage_ChannelState_AnswersItsError(ChannelState state, string error)
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        fake.SetChannelState(channel, state);

        var (_, body) = await CallAsync(http, fake, "chat.postMessage", DigestBody(channel));

        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Empty(fake.Messages(channel));
        Assert.Empty(MessageValidator.ValidateResponse("error", body));
    }

    [Fact]
    public async Task PostMessage_NoTextNoBlocks_AnswersNoText()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        var (_, body) = await CallAsync(http, fake, "chat.postMessage", new JsonObject { ["channel"] = fake.AddChannel() }.ToJsonString());

        Assert.Equal("no_text", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PostMessage_HeaderTooLong_AnswersInvalidBlocksAndRecordsViolation()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        var body = JsonNode.Parse(DigestBody(channel))!;
        body["blocks"]![0]!["text"]!["text"] = new string('h', 151);

        var (_, answer) = await CallAsync(http, fake, "chat.postMessage", body.ToJsonString());

        Assert.Equal("invalid_blocks", answer.GetProperty("error").GetString());
        Assert.Equal("must be less than 151 characters [json-pointer:/blocks/0/text/text]", Assert.Single(answer.GetProperty("errors").EnumerateArray()).GetString());
        Assert.StartsWith("[ERROR] ", answer.GetProperty("response_metadata").GetProperty("messages")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("chat.postMessage #/blocks/0/text/text: must be less than 151 characters", Assert.Single(fake.SchemaViolations));
        Assert.Empty(fake.Messages(channel));
    }

    [Fact]
    public async Task PostMessage_JsonWithoutCharset_OkWithMissingCharsetWarning()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        var (_, body) = await CallAsync(http, fake, "chat.postMessage", DigestBody(fake.AddChannel()), contentType: "application/json");

        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal("missing_charset", body.GetProperty("warning").GetString());
    }

    [Fact]
    public async Task PostMessage_BeyondBurst_Answers429WithRetryAfter()
    {
        var options = FastOptions();
        options.PostMessageBurst = 2;
        options.PostMessageInterval = TimeSpan.FromMinutes(1);
        options.RetryAfterSeconds = 7;
        await using var fake = await FakeSlackServer.StartAsync(options, TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        var other = fake.AddChannel();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await CallAsync(http, fake, "chat.postMessage", DigestBody(channel))).Response.StatusCode);
        }

        var (limited, body) = await CallAsync(http, fake, "chat.postMessage", DigestBody(channel));
        var (elsewhere, _) = await CallAsync(http, fake, "chat.postMessage", DigestBody(other));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("ratelimited", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Equal(2, fake.RateLimitedResponses);
        Assert.Equal(2, fake.Messages(channel).Count);
    }

    [Fact]
    public async Task FailNext_Two_RateLimitsTwoCallsThenServes()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        fake.FailNext(2, TimeSpan.FromMilliseconds(1500));

        var first = await CallAsync(http, fake, "auth.test", null);
        var second = await CallAsync(http, fake, "chat.postMessage", DigestBody(fake.AddChannel()));
        var third = await CallAsync(http, fake, "auth.test", null);

        Assert.Equal(HttpStatusCode.TooManyRequests, first.Response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Response.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Response.StatusCode);
        Assert.True(third.Body.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task AuthTest_BotToken_ReturnsIdentity()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        var (_, body) = await CallAsync(http, fake, "auth.test", null);

        Assert.Equal((FakeSlackServer.BotUserId, FakeSlackServer.TeamId, FakeSlackServer.BotId),
            (body.GetProperty("user_id").GetString(), body.GetProperty("team_id").GetString(), body.GetProperty("bot_id").GetString()));
    }

    [Fact]
    public async Task UserGroupsUsersList_KnownGroup_ReturnsUsers()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        fake.AddUserGroup("S0ADMINS01", "U0ADMIN001", "U0ADMIN002");

        var (_, known) = await CallAsync(http, fake, "usergroups.users.list", "usergroup=S0ADMINS01", contentType: "application/x-www-form-urlencoded");
        var (_, unknown) = await CallAsync(http, fake, "usergroups.users.list", "usergroup=S0NOBODY01", contentType: "application/x-www-form-urlencoded");

        Assert.Equal(["U0ADMIN001", "U0ADMIN002"], known.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("no_such_subteam", unknown.GetProperty("error").GetString());
    }

    [Fact]
    public async Task PostMessage_TextOver40000_TruncatedWithWarning()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        var (_, body) = await CallAsync(http, fake, "chat.postMessage", new JsonObject { ["channel"] = fake.AddChannel(), ["text"] = new string('t', 40_001) }.ToJsonString());

        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal("message_truncated", body.GetProperty("warning").GetString());
        Assert.Equal(FakeSlackServer.MaxTextLength, body.GetProperty("message").GetProperty("text").GetString()!.Length);
    }

    [Fact]
    public async Task PostMessage_AfterInterval_BucketRefilled()
    {
        var options = FastOptions();
        options.PostMessageBurst = 1;
        options.PostMessageInterval = TimeSpan.FromMilliseconds(600);
        await using var fake = await FakeSlackServer.StartAsync(options, TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();

        var first = await CallAsync(http, fake, "chat.postMessage", DigestBody(channel));
        var second = await CallAsync(http, fake, "chat.postMessage", DigestBody(channel));
        await Task.Delay(TimeSpan.FromMilliseconds(700), TestContext.Current.CancellationToken);
        var third = await CallAsync(http, fake, "chat.postMessage", DigestBody(channel));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK],
            new[] { first, second, third }.Select(c => c.Response.StatusCode));
    }
}
