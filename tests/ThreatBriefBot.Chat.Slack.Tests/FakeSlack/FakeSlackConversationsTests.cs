using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatBriefBot.Chat.Slack.Fakes;
using static ThreatBriefBot.Chat.Slack.Tests.FakeSlack.FakeSlackTestKit;

namespace ThreatBriefBot.Chat.Slack.Tests.FakeSlack;

/// <summary>Message metadata, conversations.history and conversations.replies, and scripted outages, on the wire.</summary>
public sealed class FakeSlackConversationsTests
{
    private static string Post(string channel, string text, string? key = null, string? threadTs = null)
    {
        var body = new JsonObject { ["channel"] = channel, ["text"] = text };
        if (key is not null)
        {
            body["metadata"] = new JsonObject { ["event_type"] = "digest_part", ["event_payload"] = new JsonObject { ["key"] = key } };
        }

        if (threadTs is not null)
        {
            body["thread_ts"] = threadTs;
        }

        return body.ToJsonString();
    }

    private static async Task<string> PostAsync(HttpClient http, FakeSlackServer fake, string body)
    {
        var (_, answer) = await CallAsync(http, fake, "chat.postMessage", body);
        Assert.True(answer.GetProperty("ok").GetBoolean(), answer.ToString());
        return answer.GetProperty("ts").GetString()!;
    }

    private static Task<(HttpResponseMessage Response, JsonElement Body)> ReadAsync(HttpClient http, FakeSlackServer fake, string method, params (string Name, string Value)[] args) =>
        CallAsync(http, fake, method, new JsonObject([.. args.Select(a => KeyValuePair.Create(a.Name, (JsonNode?)a.Value))]).ToJsonString());

    private static string[] Ts(JsonElement answer) =>
        [.. answer.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("ts").GetString()!)];

    [Fact]
    public async Task PostMessage_Metadata_StoredWithTheMessage()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();

        await PostAsync(http, fake, Post(channel, "part 1", key: "d1/0"));

        var metadata = Assert.Single(fake.Messages(channel)).Metadata!.Value;
        Assert.Equal("digest_part", metadata.GetProperty("event_type").GetString());
        Assert.Equal("d1/0", metadata.GetProperty("event_payload").GetProperty("key").GetString());
        Assert.Empty(fake.SchemaViolations);
    }

    [Theory]
    [InlineData("""{"event_type":"digest_part"}""", "invalid_metadata_schema")]
    [InlineData("""{"event_type":"digest_part","event_payload":"d1/0"}""", "invalid_metadata_schema")]
    [InlineData("""{"event_payload":{}}""", "invalid_metadata_schema")]
    [InlineData("not json", "invalid_metadata_format")]
    public async Task PostMessage_MetadataOfTheWrongShape_RefusedAndNotPosted(string metadata, string error)
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        using var form = new FormUrlEncodedContent([new("token", FakeSlackServer.BotToken), new("channel", channel), new("text", "part"), new("metadata", metadata)]);

        using var response = await http.PostAsync(new Uri(fake.ApiBaseUrl, "chat.postMessage"), form, TestContext.Current.CancellationToken);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(error, answer.RootElement.GetProperty("error").GetString());
        Assert.Empty(fake.Messages(channel));
        Assert.Single(fake.SchemaViolations);
    }

    [Fact]
    public async Task History_TopLevelMessagesNewestFirst_RepliesOnlyInTheirThread()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        var first = await PostAsync(http, fake, Post(channel, "first"));
        var reply = await PostAsync(http, fake, Post(channel, "reply", threadTs: first));
        var second = await PostAsync(http, fake, Post(channel, "second"));

        var (_, history) = await ReadAsync(http, fake, "conversations.history", ("channel", channel));
        var (_, replies) = await ReadAsync(http, fake, "conversations.replies", ("channel", channel), ("ts", first));

        Assert.Equal([second, first], Ts(history));
        Assert.Equal(first, history.GetProperty("messages")[1].GetProperty("thread_ts").GetString());
        Assert.Equal(1, history.GetProperty("messages")[1].GetProperty("reply_count").GetInt32());
        Assert.False(history.GetProperty("has_more").GetBoolean());
        Assert.Equal("", history.GetProperty("response_metadata").GetProperty("next_cursor").GetString());
        Assert.Equal([first, reply], Ts(replies));
    }

    [Fact]
    public async Task History_Metadata_OnlyWithIncludeAllMetadata()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        await PostAsync(http, fake, Post(channel, "part", key: "d1/0"));

        var (_, plain) = await ReadAsync(http, fake, "conversations.history", ("channel", channel));
        var (_, full) = await ReadAsync(http, fake, "conversations.history", ("channel", channel), ("include_all_metadata", "true"));

        Assert.False(plain.GetProperty("messages")[0].TryGetProperty("metadata", out _));
        Assert.Equal("d1/0", full.GetProperty("messages")[0].GetProperty("metadata").GetProperty("event_payload").GetProperty("key").GetString());
    }

    [Fact]
    public async Task History_Oldest_ExclusiveUnlessInclusive()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        var first = await PostAsync(http, fake, Post(channel, "first"));
        var second = await PostAsync(http, fake, Post(channel, "second"));

        var (_, exclusive) = await ReadAsync(http, fake, "conversations.history", ("channel", channel), ("oldest", first));
        var (_, inclusive) = await ReadAsync(http, fake, "conversations.history", ("channel", channel), ("oldest", first), ("inclusive", "true"));

        Assert.Equal([second], Ts(exclusive));
        Assert.Equal([second, first], Ts(inclusive));
    }

    [Fact]
    public async Task History_Limit_PagesWithCursorsUntilHasMoreIsFalse()
    {
        var options = FastOptions();
        options.PostMessageBurst = 10;
        await using var fake = await FakeSlackServer.StartAsync(options, TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        var posted = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            posted.Add(await PostAsync(http, fake, Post(channel, $"message {i}")));
        }

        var read = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            (string, string)[] args = cursor is null ? [("channel", channel), ("limit", "2")] : [("channel", channel), ("limit", "2"), ("cursor", cursor)];
            var (_, page) = await ReadAsync(http, fake, "conversations.history", args);
            read.AddRange(Ts(page));
            pages++;
            cursor = page.GetProperty("has_more").GetBoolean() ? page.GetProperty("response_metadata").GetProperty("next_cursor").GetString() : null;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(posted), read);
    }

    [Theory]
    [InlineData(ChannelState.Missing, "conversations.history", "channel_not_found")]
    [InlineData(ChannelState.NotInChannel, "conversations.history", "not_in_channel")]
    [InlineData(ChannelState.NotInChannel, "conversations.replies", "not_in_channel")]
    public async Task History_ChannelClosedToTheBot_Error(ChannelState state, string method, string error)
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel(state);

        var (_, answer) = await ReadAsync(http, fake, method, ("channel", channel), ("ts", "1503435956.000247"));

        Assert.Equal(error, answer.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("1503435956.000247", null, "thread_not_found")]
    [InlineData(null, "bm9wZQ==", "invalid_cursor")]
    public async Task Replies_UnknownThreadOrCursor_Error(string? thread, string? cursor, string error)
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        var parent = await PostAsync(http, fake, Post(channel, "parent"));

        var (_, answer) = await ReadAsync(http, fake, "conversations.replies", ("channel", channel), ("ts", thread ?? parent), ("cursor", cursor ?? ""));

        Assert.Equal(error, answer.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(ServerFault.ServerError, 0)]
    [InlineData(ServerFault.ServerErrorAfterDoing, 1)]
    public async Task FailNextWith_ServerError_HtmlPageWithOrWithoutPosting(ServerFault fault, int posted)
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var channel = fake.AddChannel();
        fake.FailNextWith(1, fault);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fake.ApiBaseUrl, "chat.postMessage")) { Content = new StringContent(Post(channel, "maybe"), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", FakeSlackServer.BotToken);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Server Error | Slack", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(posted, fake.Messages(channel).Count);
        await PostAsync(http, fake, Post(channel, "served again"));
    }

    [Fact]
    public async Task FailNextWith_NoAnswerAfterDoing_PostsButNeverAnswers()
    {
        await using var fake = await FakeSlackServer.StartAsync(FastOptions(), TestContext.Current.CancellationToken);
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };
        var channel = fake.AddChannel();
        fake.FailNextWith(1, ServerFault.NoAnswerAfterDoing);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CallAsync(http, fake, "chat.postMessage", Post(channel, "lost answer")));

        Assert.Single(fake.Messages(channel));
    }
}
