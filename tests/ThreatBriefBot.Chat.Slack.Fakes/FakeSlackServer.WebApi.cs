using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ThreatBriefBot.Chat.Slack.Fakes;

/// <summary>The Web API: auth, body encodings, chat.postMessage, auth.test, usergroups.users.list, rate limits.</summary>
public sealed partial class FakeSlackServer
{
    private const string PostMessageMethod = "chat.postMessage";

    private readonly Dictionary<(string Method, string Channel), TokenBucket> _buckets = [];
    private readonly Dictionary<string, string[]> _userGroups = new(StringComparer.Ordinal);
    private AuthState _authState;
    private int _failNext;
    private readonly Queue<ServerFault> _faults = new();
    private int _failNextRetryAfterSeconds;
    private int _rateLimitedResponses;

    private enum TokenKind
    {
        Bot,
        App,
    }

    /// <summary>HTTP 429 answers served (Web API and incoming webhooks).</summary>
    public int RateLimitedResponses
    {
        get
        {
            lock (_gate)
            {
                return _rateLimitedResponses;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> Web API calls get HTTP 429 ratelimited, whatever they are.</summary>
    /// <param name="retryAfter">Retry-After to send, rounded up to whole seconds; default <see cref="FakeSlackOptions.RetryAfterSeconds"/>.</param>
    public void FailNext(int count, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            _failNext = count;
            _failNextRetryAfterSeconds = retryAfter is { } delay ? (int)Math.Ceiling(delay.TotalSeconds) : _options.RetryAfterSeconds;
        }
    }

    /// <summary>The next <paramref name="count"/> Web API calls (after any <see cref="FailNext"/> 429s) fail with <paramref name="fault"/>.</summary>
    public void FailNextWith(int count, ServerFault fault)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>What the bot token is worth; apps.connections.open (app token) is not affected.</summary>
    public void SetAuthState(AuthState state)
    {
        lock (_gate)
        {
            _authState = state;
        }
    }

    public void AddUserGroup(string groupId, params string[] userIds)
    {
        lock (_gate)
        {
            _userGroups[groupId] = [.. userIds];
        }
    }

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    private static string? BearerToken(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
        && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            ? header.Parameter
            : null;

    private static JsonElement FormToJson(string form)
    {
        var values = new JsonObject();
        foreach (var (name, value) in QueryHelpers.ParseQuery(form))
        {
            values[name] = value.ToString();
        }

        return MessageValidator.ToElement(values);
    }

    /// <summary>Slack's 5xx page (platform-apis.md B1: 5xx bodies may be HTML).</summary>
    private static Reply ServerErrorPage() =>
        new(StatusCodes.Status500InternalServerError, "text/html; charset=utf-8", "<html><head><title>Server Error | Slack</title></head><body>Server Error</body></html>");

    private Reply HandleWebApi(HttpRequest request, string method, string body)
    {
        ServerFault? fault = null;
        lock (_gate)
        {
            if (_failNext > 0)
            {
                _failNext--;
                return RateLimitedLocked(_failNextRetryAfterSeconds);
            }

            if (_faults.TryDequeue(out var next))
            {
                fault = next;
            }
        }

        if (fault == ServerFault.ServerError)
        {
            return ServerErrorPage();
        }

        var reply = Call(request, method, body);
        return fault switch
        {
            ServerFault.ServerErrorAfterDoing => ServerErrorPage(),
            ServerFault.NoAnswerAfterDoing => reply with { Withheld = true },
            _ => reply,
        };
    }

    private Reply Call(HttpRequest request, string method, string body)
    {

        var call = ParseCall(request, body, out var parseError);
        if (call is null)
        {
            return Json(Error(parseError!));
        }

        var reply = method switch
        {
            PostMessageMethod => PostMessage(call),
            "apps.connections.open" => ConnectionsOpen(call),
            "auth.test" => AuthTest(call),
            "usergroups.users.list" => UserGroupUsers(call),
            "conversations.history" => ConversationsHistory(call),
            "conversations.replies" => ConversationsReplies(call),
            _ => Json(Error("unknown_method")),
        };
        return call.Warnings.Count == 0 || reply.Status != StatusCodes.Status200OK ? reply : WithWarnings(reply, call.Warnings);
    }

    /// <summary>Reads the arguments as Slack does: JSON (charset expected) or form (blocks as JSON strings), or the query string.</summary>
    private static ApiCall? ParseCall(HttpRequest request, string body, out string? error)
    {
        error = null;
        var warnings = new List<string>();
        var token = BearerToken(request);
        if (body.Length == 0)
        {
            return new ApiCall(FormToJson(request.QueryString.Value?.TrimStart('?') ?? ""), Form: true, token, warnings);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType is null)
        {
            error = request.ContentType is null ? "missing_post_type" : "invalid_post_type";
            return null;
        }

        var charset = contentType.CharSet?.Trim('"');
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase))
        {
            error = "invalid_charset";
            return null;
        }

        switch (contentType.MediaType.ToLowerInvariant())
        {
            case "application/json":
                if (charset is null)
                {
                    warnings.Add("missing_charset");
                }

                if (ParseObject(body) is not { } json)
                {
                    error = "invalid_json";
                    return null;
                }

                return new ApiCall(json, Form: false, token, warnings);
            case "application/x-www-form-urlencoded":
                if (charset is not null)
                {
                    warnings.Add("superfluous_charset");
                }

                var form = FormToJson(body);
                // Form bodies may carry the token as a parameter instead of the header.
                return new ApiCall(form, Form: true, token ?? MessageValidator.StringProperty(form, "token"), warnings);
            default:
                error = "invalid_post_type";
                return null;
        }
    }

    private static Reply WithWarnings(Reply reply, List<string> warnings)
    {
        var body = JsonNode.Parse(reply.Body)!.AsObject();
        body["warning"] = string.Join(',', warnings);
        var metadata = body["response_metadata"] as JsonObject ?? [];
        metadata["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode)JsonValue.Create(w))]);
        body["response_metadata"] = metadata;
        return reply with { Body = body.ToJsonString() };
    }

    /// <summary>Null when the call's token is the wanted kind and is in good standing; else Slack's error answer.</summary>
    private Reply? Authorize(ApiCall call, TokenKind wanted)
    {
        TokenKind kind;
        switch (call.Token)
        {
            case null or "":
                return Json(Error("not_authed"));
            case BotToken:
                kind = TokenKind.Bot;
                break;
            case AppToken:
                kind = TokenKind.App;
                break;
            default:
                return Json(Error("invalid_auth"));
        }

        if (kind != wanted)
        {
            return Json(Error("not_allowed_token_type"));
        }

        AuthState state;
        lock (_gate)
        {
            state = _authState;
        }

        return kind != TokenKind.Bot ? null : state switch
        {
            AuthState.InvalidAuth => Json(Error("invalid_auth")),
            AuthState.AccountInactive => Json(Error("account_inactive")),
            _ => null,
        };
    }

    private Reply RateLimitedLocked(int retryAfterSeconds)
    {
        _rateLimitedResponses++;
        return Json(Error("ratelimited"), StatusCodes.Status429TooManyRequests,
            new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture) });
    }

    private Reply PostMessage(ApiCall call)
    {
        if (Authorize(call, TokenKind.Bot) is { } denied)
        {
            return denied;
        }

        var channel = MessageValidator.StringProperty(call.Args, "channel") ?? "";
        lock (_gate)
        {
            if (!_buckets.TryGetValue((PostMessageMethod, channel), out var bucket))
            {
                bucket = new TokenBucket(_options.PostMessageBurst, _options.PostMessageInterval, TimeProvider.System);
                _buckets[(PostMessageMethod, channel)] = bucket;
            }

            if (!bucket.TryTake())
            {
                return RateLimitedLocked(_options.RetryAfterSeconds);
            }
        }

        var violations = MessageValidator.Validate(call.Form ? MessageKind.PostMessageForm : MessageKind.PostMessageJson, call.Args, out var body);
        RecordViolations(PostMessageMethod, violations);
        if (violations.FirstOrDefault(v => v.Error == "channel_not_found") is { } badChannel)
        {
            return Json(ViolationBody(badChannel.Error, violations));
        }

        switch (StateOf(channel))
        {
            case ChannelState.Missing:
                return Json(Error("channel_not_found"));
            case ChannelState.NotInChannel:
                return Json(Error("not_in_channel"));
            case ChannelState.Archived:
                return Json(Error("is_archived"));
        }

        if (!HasMessageContent(body))
        {
            return Json(Error("no_text"));
        }

        if (violations.Count > 0)
        {
            return Json(ViolationBody(violations[0].Error, violations));
        }

        var metadata = ReadMetadata(body, out var metadataViolation);
        if (metadataViolation is not null)
        {
            RecordViolations(PostMessageMethod, [metadataViolation]);
            return Json(ViolationBody(metadataViolation.Error, [metadataViolation]));
        }

        var recorded = new RecordedMessage(NextTs(), body, MessageValidator.StringProperty(body, "thread_ts"), metadata);
        lock (_gate)
        {
            _channels[channel].Messages.Add(recorded);
            SignalLocked();
        }

        var text = MessageValidator.StringProperty(body, "text") ?? "";
        var answer = new JsonObject { ["ok"] = true, ["channel"] = channel, ["ts"] = recorded.Ts, ["message"] = MessageJson(recorded, withMetadata: false) };
        if (text.Length > MaxTextLength)
        {
            answer["warning"] = "message_truncated";
            answer["response_metadata"] = new JsonObject
            {
                ["warnings"] = new JsonArray("message_truncated"),
                ["messages"] = new JsonArray("[WARN] Your message was truncated but still posted. The `text` field accepts up to 40,000 characters."),
            };
        }

        return Json(answer);
    }

    private Reply AuthTest(ApiCall call) =>
        Authorize(call, TokenKind.Bot) ?? Json(new JsonObject
        {
            ["ok"] = true,
            ["url"] = $"https://{TeamDomain}.slack.com/",
            ["team"] = "Fake Workspace",
            ["user"] = "threatbriefbot",
            ["team_id"] = TeamId,
            ["user_id"] = BotUserId,
            ["bot_id"] = BotId,
            ["is_enterprise_install"] = false,
        });

    private Reply UserGroupUsers(ApiCall call)
    {
        if (Authorize(call, TokenKind.Bot) is { } denied)
        {
            return denied;
        }

        var groupId = MessageValidator.StringProperty(call.Args, "usergroup");
        string[]? users;
        lock (_gate)
        {
            users = groupId is null ? null : _userGroups.GetValueOrDefault(groupId);
        }

        return users is null
            ? Json(Error(groupId is null ? "invalid_arguments" : "no_such_subteam"))
            : Json(new JsonObject { ["ok"] = true, ["users"] = new JsonArray([.. users.Select(u => (JsonNode)JsonValue.Create(u))]) });
    }

    private sealed record ApiCall(JsonElement Args, bool Form, string? Token, List<string> Warnings);
}
