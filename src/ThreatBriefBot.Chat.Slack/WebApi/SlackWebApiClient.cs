using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Http;

namespace ThreatBriefBot.Chat.Slack.WebApi;

/// <summary>
/// Slack's Web API, incoming webhooks and response_urls over one typed HttpClient, whose handlers
/// (<see cref="SlackResilience"/>) wait out rate limits and retry what is safe to repeat. Here, Slack's error model:
/// HTTP 200 with ok:false is an error; a post whose outcome is unknown is an <see cref="OutcomeUnknownException"/>.
/// </summary>
internal sealed class SlackWebApiClient(HttpClient http, IOptions<SlackOptions> options)
{
    private const string JsonMediaType = "application/json";

    /// <summary>Posts a message; returns its ts (the id replies thread under). Never repeated by the client: see <see cref="OutcomeUnknownException"/>.</summary>
    public async Task<string> PostMessageAsync(PostMessageRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = JsonSerializer.Serialize(message, SlackJson.Context.PostMessageRequest);
        var response = await CallAsync(new SlackCall("chat.postMessage", RetrySafe: false, message.Channel), Json(body), options.Value.BotToken, cancellationToken);
        return response.Ts ?? throw new ChatDeliveryException(ChatDeliveryFailure.Rejected, "no_ts", "Slack accepted chat.postMessage but returned no ts");
    }

    /// <summary>apps.connections.open with the app-level token: a single-use Socket Mode URL (an unused one costs nothing, so retried).</summary>
    public async Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var response = await CallAsync(new SlackCall("apps.connections.open", RetrySafe: true, PaceKey: null), new FormUrlEncodedContent([]), options.Value.AppToken, cancellationToken);
        return Uri.TryCreate(response.Url, UriKind.Absolute, out var url) && (url.Scheme == "wss" || url.Scheme == "ws")
            ? url
            : throw new ChatDeliveryException(ChatDeliveryFailure.Rejected, "no_url", "Slack accepted apps.connections.open but returned no WebSocket URL");
    }

    /// <summary>usergroups.users.list: the members of a user group.</summary>
    public async Task<IReadOnlyList<string>> UserGroupMembersAsync(string userGroup, CancellationToken cancellationToken)
    {
        var response = await CallAsync(
            new SlackCall("usergroups.users.list", RetrySafe: true, PaceKey: null),
            new FormUrlEncodedContent([new("usergroup", userGroup)]),
            options.Value.BotToken,
            cancellationToken);
        return response.Users ?? [];
    }

    /// <summary>
    /// conversations.history: the channel's messages posted after <paramref name="oldestTs"/> (exclusive), newest
    /// first, with their metadata. Thread replies are not in it: see <see cref="ConversationRepliesAsync"/>.
    /// </summary>
    public Task<SlackMessageList> ConversationHistoryAsync(string channel, string oldestTs, CancellationToken cancellationToken) =>
        LookupAsync("conversations.history", [new("channel", channel)], oldestTs, cancellationToken);

    /// <summary>
    /// conversations.replies: the thread under <paramref name="threadTs"/>, oldest first (Slack puts the parent
    /// first), with the replies posted after <paramref name="oldestTs"/> (exclusive) and their metadata.
    /// </summary>
    public Task<SlackMessageList> ConversationRepliesAsync(string channel, string threadTs, string oldestTs, CancellationToken cancellationToken) =>
        LookupAsync("conversations.replies", [new("channel", channel), new("ts", threadTs)], oldestTs, cancellationToken);

    /// <summary>Posts to an incoming webhook: 200 "ok", or an error code with a status (B9).</summary>
    public async Task PostWebhookAsync(Uri webhook, string paceKey, WebhookMessage message, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(message, SlackJson.Context.WebhookMessage);
        var call = new SlackCall("an incoming-webhook post", RetrySafe: false, paceKey);
        var (status, text) = await SendAsync(call, new HttpRequestMessage(HttpMethod.Post, webhook) { Content = Json(body) }, cancellationToken);
        ThrowUnlessPosted(call, status, text, SlackErrors.ClassifyWebhook(status, text.Trim()));
    }

    /// <summary>Answers a slash command later through its response_url (no token; up to 5 times within 30 minutes).</summary>
    public async Task PostResponseAsync(Uri responseUrl, SlashCommandResponse response, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(response, SlackJson.Context.SlashCommandResponse);
        var call = new SlackCall("a response_url post", RetrySafe: false, PaceKey: null);
        var (status, text) = await SendAsync(call, new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = Json(body) }, cancellationToken);
        ThrowUnlessPosted(call, status, text, status is HttpStatusCode.NotFound or HttpStatusCode.Gone ? ChatDeliveryFailure.TargetUnavailable : ChatDeliveryFailure.Rejected);
    }

    private async Task<SlackMessageList> LookupAsync(string method, KeyValuePair<string, string>[] arguments, string oldestTs, CancellationToken cancellationToken)
    {
        var messages = new List<SlackHistoryMessage>();
        string? cursor = null;
        for (var page = 0; page < options.Value.MaxLookupPages; page++)
        {
            KeyValuePair<string, string>[] form =
            [
                .. arguments,
                new("oldest", oldestTs),
                new("limit", options.Value.LookupPageSize.ToString(CultureInfo.InvariantCulture)),
                new("include_all_metadata", "true"),
                .. cursor is null ? [] : new KeyValuePair<string, string>[] { new("cursor", cursor) },
            ];
            var response = await CallAsync(new SlackCall(method, RetrySafe: true, PaceKey: null), new FormUrlEncodedContent(form), options.Value.BotToken, cancellationToken);
            messages.AddRange((response.Messages ?? []).Where(m => m.Ts is not null).Select(m => new SlackHistoryMessage(m.Ts!, m.ThreadTs, SlackMessageMetadata.FromJson(m.Metadata))));
            cursor = response.ResponseMetadata?.NextCursor;
            if (!response.HasMore || string.IsNullOrEmpty(cursor))
            {
                // has_more without a cursor would leave messages unread: say so rather than claim the list is whole.
                return new SlackMessageList(messages, Truncated: response.HasMore);
            }
        }

        return new SlackMessageList(messages, Truncated: true);
    }

    private async Task<SlackApiResponse> CallAsync(SlackCall call, HttpContent content, string? token, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, call.What) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var (status, text) = await SendAsync(call, request, cancellationToken);
        var answer = SlackAnswer.Of(status, text);
        return answer.Verdict switch
        {
            SlackVerdict.Done => answer.Body!,
            SlackVerdict.RateLimited => throw StillRateLimited(call),
            SlackVerdict.Transient => throw Failed(call, answer.Problem),
            _ => throw SlackErrors.ToException(call.What, answer.Problem, answer.Body is null ? ChatDeliveryFailure.Rejected : SlackErrors.Classify(answer.Problem)),
        };
    }

    /// <summary>Sends through the pipeline; a request that got no answer at all fails here.</summary>
    private async Task<(HttpStatusCode Status, string Text)> SendAsync(SlackCall call, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Options.Set(SlackCall.Key, call);
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or TimeoutRejectedException or IOException)
            {
                throw Failed(call, e is TimeoutRejectedException ? "timed out" : e.Message, e);
            }
        }
    }

    private void ThrowUnlessPosted(SlackCall call, HttpStatusCode status, string text, ChatDeliveryFailure failure)
    {
        if ((int)status is >= 200 and < 300)
        {
            return;
        }

        throw status == HttpStatusCode.TooManyRequests ? StillRateLimited(call)
            : (int)status >= 500 ? Failed(call, $"HTTP {(int)status}")
            : SlackErrors.ToException(call.What, ErrorCode(status, text), failure);
    }

    private HttpRequestException StillRateLimited(SlackCall call) =>
        new($"Slack still rate-limits {call.What} after {options.Value.MaxRateLimitWaits} waits", null, HttpStatusCode.TooManyRequests);

    /// <summary>Slack gave no verdict: for a post, the outcome is unknown; for a read, the retries are spent.</summary>
    private static HttpRequestException Failed(SlackCall call, string problem, Exception? inner = null) =>
        call.RetrySafe
            ? new HttpRequestException($"Slack failed {call.What}: {problem}", inner)
            : new OutcomeUnknownException($"Slack gave no verdict on {call.What} ({problem}); not sent again, since it may have been posted", inner);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, JsonMediaType);

    /// <summary>Slack's error code from a plain-text body ("channel_not_found"), else one made of the status.</summary>
    private static string ErrorCode(HttpStatusCode status, string text)
    {
        var code = text.Trim();
        return code.Length is > 0 and <= 64 && code.All(c => char.IsAsciiLetterLower(c) || c == '_') ? code : $"http_{(int)status}";
    }
}
