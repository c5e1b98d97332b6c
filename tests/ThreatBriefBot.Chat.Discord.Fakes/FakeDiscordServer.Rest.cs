using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ThreatBriefBot.Chat.Discord.Fakes.Rest;
using ThreatBriefBot.Chat.Discord.Fakes.Validation;

namespace ThreatBriefBot.Chat.Discord.Fakes;

public sealed partial class FakeDiscordServer
{
    private const int SessionStartTotal = 1000;

    private const string CloudflareBanPage =
        "<!DOCTYPE html><html><head><title>Access denied | discord.com used Cloudflare to restrict access</title></head>"
        + "<body><h1>Error 1015</h1><h2>You are being rate limited</h2></body></html>";

    private const string ServerErrorPage = "<html><head><title>500 Internal Server Error</title></head><body><center><h1>500 Internal Server Error</h1></center></body></html>";

    private async Task HandleRestAsync(HttpContext context)
    {
        var call = new RestCall(context);
        try
        {
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            call.BodyText = body.Length == 0 ? null : Encoding.UTF8.GetString(body);
            ServerFault? fault;
            lock (_sync)
            {
                fault = _faults.TryDequeue(out var next) ? next : null;
            }

            if (fault is null)
            {
                await ServeAsync(call, body);
            }
            else
            {
                await ServeWithFaultAsync(call, body, fault.Value);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        finally
        {
            Record(call);
        }
    }

    /// <summary>Serves the request (unless the fault comes first) into a buffer, then answers as the fault says instead.</summary>
    private async Task ServeWithFaultAsync(RestCall call, byte[] rawBody, ServerFault fault)
    {
        var response = call.Context.Response;
        if (fault != ServerFault.ServerError)
        {
            var wire = response.Body;
            using var discarded = new MemoryStream();
            response.Body = discarded;
            await ServeAsync(call, rawBody);
            response.Body = wire;
        }

        if (fault == ServerFault.NoAnswerAfterDoing)
        {
            using var gone = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token, call.Context.RequestAborted);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, gone.Token);
            }
            catch (OperationCanceledException)
            {
                call.Context.Abort();
            }

            return;
        }

        response.Headers.Clear();
        response.StatusCode = StatusCodes.Status500InternalServerError;
        response.ContentType = "text/html";
        await response.WriteAsync(ServerErrorPage, call.Context.RequestAborted);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>
    /// Records the request once its status is known and before the response is written, so a client that has the
    /// response (or a test woken by a callback or follow-up) always finds it in <see cref="Requests"/>.
    /// </summary>
    private void Record(RestCall call)
    {
        if (call.Recorded)
        {
            return;
        }

        call.Recorded = true;
        var status = call.Context.Response.StatusCode;
        var headers = call.Context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_sync)
        {
            _requests.Add(new RecordedRequest(call.Method, call.Path, status, call.BodyText, headers) { Query = call.Query });
        }

        if (status == StatusCodes.Status429TooManyRequests)
        {
            Interlocked.Increment(ref _rateLimited);
        }

        if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden
            || (status == StatusCodes.Status429TooManyRequests && !call.SharedScope))
        {
            Interlocked.Increment(ref _invalidRequests);
        }

        foreach (var action in call.AfterRecord)
        {
            action();
        }
    }

    private async Task ServeAsync(RestCall call, byte[] rawBody)
    {
        var segments = call.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["api", _, ..])
        {
            await ErrorAsync(call, StatusCodes.Status404NotFound, 0, "404: Not Found");
            return;
        }

        if (segments[1] != "v10")
        {
            AddViolation(call.Where, "PATH: REST paths must start with /api/v10/ (an unversioned path routes to the deprecated default version)");
            await ErrorAsync(call, StatusCodes.Status404NotFound, 0, "404: Not Found");
            return;
        }

        var rest = segments[2..];
        var route = Match(call.Method, rest);
        if (route is null)
        {
            var otherMethod = ((string[])["GET", "POST", "PUT", "PATCH", "DELETE"]).Any(m => m != call.Method && Match(m, rest) is not null);
            await ErrorAsync(call, otherMethod ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status404NotFound, 0,
                otherMethod ? "405: Method Not Allowed" : "404: Not Found");
            return;
        }

        var request = call.Context.Request;
        if (!request.Headers.UserAgent.ToString().StartsWith("DiscordBot", StringComparison.Ordinal))
        {
            AddViolation(call.Where, "USER_AGENT: User-Agent must be \"DiscordBot ($url, $versionNumber)\"");
            SetRateLimitHeaders(call, _rateLimiter.Peek(route.Template, route.Major));
            await ErrorAsync(call, StatusCodes.Status400BadRequest, 50035, "Invalid Form Body", RootError("USER_AGENT_INVALID", "A User-Agent starting with \"DiscordBot\" is required."));
            return;
        }

        if (route.BotAuth && request.Headers.Authorization.ToString() != "Bot " + BotToken)
        {
            SetRateLimitHeaders(call, _rateLimiter.Peek(route.Template, route.Major));
            await ErrorAsync(call, StatusCodes.Status401Unauthorized, 0, "401: Unauthorized");
            return;
        }

        var (state, throttle) = _rateLimiter.Acquire(route.Template, route.Major, route.Global);
        SetRateLimitHeaders(call, state);
        if (throttle is not null)
        {
            await ThrottledAsync(call, throttle);
            return;
        }

        if (call.Method is "POST" or "PUT" or "PATCH")
        {
            if (!IsJson(request.ContentType))
            {
                AddViolation(call.Where, $"CONTENT_TYPE: Content-Type must be application/json, was \"{request.ContentType}\"");
                await ErrorAsync(call, StatusCodes.Status400BadRequest, 50035, "Invalid Form Body", RootError("CONTENT_TYPE_INVALID",
                    "Expected \"Content-Type\" header to be one of {'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'}."));
                return;
            }

            try
            {
                using var document = JsonDocument.Parse(rawBody.Length == 0 ? "{}"u8.ToArray() : rawBody);
                call.Body = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                AddViolation(call.Where, $"JSON: the body is not valid JSON ({e.Message})");
                await ErrorAsync(call, StatusCodes.Status400BadRequest, 50109, "The request body contains invalid JSON.");
                return;
            }
        }

        await route.Handler(call);
    }

    /// <summary>The routes the fake serves; Template names the bucket, Major is the top-level resource it is keyed by.</summary>
    private Route? Match(string method, string[] path) => (method, path) switch
    {
        ("GET", ["gateway"]) => new Route("GET /gateway", "", false, true, GatewayAsync),
        ("GET", ["gateway", "bot"]) => new Route("GET /gateway/bot", "", true, true, GatewayBotAsync),
        ("POST", ["channels", var channelId, "messages"]) =>
            new Route("POST /channels/{channel_id}/messages", channelId, true, true, c => CreateMessageAsync(c, channelId)),
        ("PUT", ["applications", var app, "commands"]) =>
            new Route("PUT /applications/{application_id}/commands", app, true, true, c => PutCommandsAsync(c, app, null)),
        ("PUT", ["applications", var app, "guilds", var guildId, "commands"]) =>
            new Route("PUT /applications/{application_id}/guilds/{guild_id}/commands", guildId, true, true, c => PutCommandsAsync(c, app, guildId)),
        // Interaction endpoints are not bound to the global limit.
        ("POST", ["interactions", var id, var token, "callback"]) =>
            new Route("POST /interactions/{interaction_id}/{interaction_token}/callback", id, false, false, c => CallbackAsync(c, id, token)),
        ("PATCH", ["webhooks", var app, var token, "messages", "@original"]) =>
            new Route("PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original", app + "/" + token, false, false, c => EditOriginalAsync(c, app, token)),
        ("POST", ["webhooks", var id, var token]) when id == ApplicationId =>
            new Route("POST /webhooks/{webhook_id}/{webhook_token}", id + "/" + token, false, false, c => FollowUpAsync(c, token)),
        ("POST", ["webhooks", var id, var token]) =>
            new Route("POST /webhooks/{webhook_id}/{webhook_token}", id + "/" + token, false, true, c => ExecuteWebhookAsync(c, id, token)),
        _ => null,
    };

    private Task GatewayAsync(RestCall call) =>
        JsonAsync(call, StatusCodes.Status200OK, new JsonObject { ["url"] = GatewayUrl.ToString().TrimEnd('/') });

    private Task GatewayBotAsync(RestCall call) => JsonAsync(call, StatusCodes.Status200OK, new JsonObject
    {
        ["url"] = GatewayUrl.ToString().TrimEnd('/'),
        ["shards"] = 1,
        ["session_start_limit"] = new JsonObject
        {
            ["total"] = SessionStartTotal,
            ["remaining"] = Math.Max(0, SessionStartTotal - IdentifyCount),
            ["reset_after"] = 14_400_000,
            ["max_concurrency"] = 1,
        },
    });

    private async Task CreateMessageAsync(RestCall call, string channelId)
    {
        if (!DocsRules.IsSnowflake(channelId))
        {
            await InvalidBodyAsync(call, [NotSnowflake("/channel_id", channelId)]);
            return;
        }

        Channel? channel;
        lock (_sync)
        {
            _channels.TryGetValue(channelId, out channel);
        }

        switch (channel?.State ?? ChannelState.Unknown)
        {
            case ChannelState.Unknown:
                await ErrorAsync(call, StatusCodes.Status404NotFound, 10003, "Unknown Channel");
                return;
            case ChannelState.MissingAccess:
                await ErrorAsync(call, StatusCodes.Status403Forbidden, 50001, "Missing Access");
                return;
            case ChannelState.MissingPermissions:
                await ErrorAsync(call, StatusCodes.Status403Forbidden, 50013, "Missing Permissions");
                return;
        }

        if (!await CheckMessageBodyAsync(call, DiscordSchemas.MessageCreate, MessageKind.ChannelMessage, requireContent: true))
        {
            return;
        }

        var body = call.Body;
        var nonce = DocsRules.Nonce(body);
        var enforce = body.TryGetProperty("enforce_nonce", out var e) && e.ValueKind == JsonValueKind.True;
        string response;
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            if (enforce && nonce is not null && channel!.Nonces.TryGetValue(nonce, out var prior) && now - prior.At <= _options.NonceWindow)
            {
                response = prior.Response;
            }
            else
            {
                var id = _snowflakes.Next();
                response = MessageObject(id, channelId, body, BotAuthor(), webhookId: null).ToJsonString();
                channel!.Messages.Add(new RecordedMessage(id, body, nonce));
                if (nonce is not null && !(channel.Nonces.TryGetValue(nonce, out var existing) && now - existing.At <= _options.NonceWindow))
                {
                    channel.Nonces[nonce] = (response, now);
                }
            }
        }

        await TextAsync(call, StatusCodes.Status200OK, response);
    }

    private async Task PutCommandsAsync(RestCall call, string app, string? guildId)
    {
        if (app != ApplicationId)
        {
            await ErrorAsync(call, StatusCodes.Status403Forbidden, 50001, "Missing Access");
            return;
        }

        if (guildId is not null && !DocsRules.IsSnowflake(guildId))
        {
            await InvalidBodyAsync(call, [NotSnowflake("/guild_id", guildId)]);
            return;
        }

        var violations = Validate(guildId is null ? DiscordSchemas.CommandsBulkUpdate : DiscordSchemas.GuildCommandsBulkUpdate, call.Body,
            list => DocsRules.CheckCommands(call.Body, list));
        if (violations.Count > 0)
        {
            await InvalidBodyAsync(call, violations);
            return;
        }

        var result = new JsonArray();
        lock (_sync)
        {
            var previous = _commands.GetValueOrDefault(guildId ?? "") ?? [];
            foreach (var command in call.Body.EnumerateArray())
            {
                var node = JsonNode.Parse(command.GetRawText())!.AsObject();
                var type = node["type"]?.GetValue<int>() ?? 1;
                var name = node["name"]!.GetValue<string>();
                var existing = previous.FirstOrDefault(p => p.GetProperty("name").GetString() == name && p.GetProperty("type").GetInt32() == type);
                node["id"] = existing.ValueKind == JsonValueKind.Object ? existing.GetProperty("id").GetString() : _snowflakes.Next();
                node["application_id"] = ApplicationId;
                node["version"] = _snowflakes.Next();
                node["type"] = type;
                node["description"] ??= "";
                node["default_member_permissions"] = node["default_member_permissions"] is { } permissions
                    ? permissions.GetValueKind() == JsonValueKind.String ? permissions.GetValue<string>() : permissions.ToJsonString()
                    : null;
                node["nsfw"] ??= false;
                if (guildId is not null)
                {
                    node["guild_id"] = guildId;
                }

                result.Add(node);
            }

            _commands[guildId ?? ""] = [.. result.Select(n => JsonSerializer.SerializeToElement(n))];
        }

        await JsonAsync(call, StatusCodes.Status200OK, result);
    }

    private async Task CallbackAsync(RestCall call, string id, string token)
    {
        FakeInteraction? interaction;
        lock (_sync)
        {
            interaction = _interactionsById.GetValueOrDefault(id) is { } found && found.Token == token ? found : null;
        }

        if (interaction is null)
        {
            await ErrorAsync(call, StatusCodes.Status404NotFound, 10062, "Unknown interaction");
            return;
        }

        var body = call.Body;
        var type = body.TryGetProperty("type", out var t) && t.TryGetInt32(out var parsed) ? parsed : 0;
        var elapsed = _time.GetUtcNow() - interaction.SentAt;
        if (elapsed > _options.InteractionDeadline)
        {
            call.AfterRecord.Add(() => interaction.RecordCallbackAttempt(new RecordedCallback(type, body, elapsed, StatusCodes.Status404NotFound)));
            await ErrorAsync(call, StatusCodes.Status404NotFound, 10062, "Unknown interaction");
            return;
        }

        var acknowledged = false;
        lock (_sync)
        {
            acknowledged = interaction.AcknowledgedType is not null;
        }

        if (acknowledged)
        {
            call.AfterRecord.Add(() => interaction.RecordCallbackAttempt(new RecordedCallback(type, body, elapsed, StatusCodes.Status400BadRequest)));
            await ErrorAsync(call, StatusCodes.Status400BadRequest, 40060, "Interaction has already been acknowledged.");
            return;
        }

        var violations = CheckInteractionResponse(interaction, body);
        if (violations.Count > 0)
        {
            call.AfterRecord.Add(() => interaction.RecordCallbackAttempt(new RecordedCallback(type, body, elapsed, StatusCodes.Status400BadRequest)));
            await InvalidBodyAsync(call, violations);
            return;
        }

        if (type == 4 && IsEmptyResponseData(body))
        {
            call.AfterRecord.Add(() => interaction.RecordCallbackAttempt(new RecordedCallback(type, body, elapsed, StatusCodes.Status400BadRequest)));
            await EmptyMessageAsync(call);
            return;
        }

        if (!TryAcknowledge(interaction, type))
        {
            call.AfterRecord.Add(() => interaction.RecordCallbackAttempt(new RecordedCallback(type, body, elapsed, StatusCodes.Status400BadRequest)));
            await ErrorAsync(call, StatusCodes.Status400BadRequest, 40060, "Interaction has already been acknowledged.");
            return;
        }

        var withResponse = call.Context.Request.Query["with_response"].ToString() is "true" or "True" or "1";
        var status = withResponse ? StatusCodes.Status200OK : StatusCodes.Status204NoContent;
        call.AfterRecord.Add(() => interaction.RecordCallbackAttempt(new RecordedCallback(type, body, elapsed, status)));
        if (!withResponse)
        {
            NoContent(call);
            return;
        }

        var data = body.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var flags = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("flags", out var f) && f.TryGetInt64(out var v) ? v : 0;
        var resource = new JsonObject { ["type"] = type };
        if (type == 4)
        {
            resource["message"] = MessageObject(interaction.OriginalMessageId!, ChannelOf(interaction), data, BotAuthor(), ApplicationId);
        }

        await JsonAsync(call, status, new JsonObject
        {
            ["interaction"] = new JsonObject
            {
                ["id"] = interaction.Id,
                ["type"] = interaction.Type,
                ["activity_instance_id"] = null,
                ["response_message_id"] = interaction.OriginalMessageId,
                ["response_message_loading"] = type == 5,
                ["response_message_ephemeral"] = (flags & DocsRules.Ephemeral) != 0,
            },
            ["resource"] = resource,
        });
    }

    private async Task EditOriginalAsync(RestCall call, string app, string token)
    {
        var interaction = await InteractionWebhookAsync(call, app, token);
        if (interaction is null)
        {
            return;
        }

        if (interaction.AcknowledgedType is not (4 or 5))
        {
            await ErrorAsync(call, StatusCodes.Status404NotFound, 10008, "Unknown Message");
            return;
        }

        if (!await CheckMessageBodyAsync(call, DiscordSchemas.WebhookEditOriginal, MessageKind.EditOriginal, requireContent: false))
        {
            return;
        }

        string id;
        lock (_sync)
        {
            id = interaction.OriginalMessageId!;
            interaction.DeferredOriginalPending = false;
        }

        call.AfterRecord.Add(() => interaction.RecordFollowUp(new RecordedMessage(id, call.Body, null)));
        await JsonAsync(call, StatusCodes.Status200OK, MessageObject(id, ChannelOf(interaction), call.Body, BotAuthor(), ApplicationId));
    }

    private async Task FollowUpAsync(RestCall call, string token)
    {
        var interaction = await InteractionWebhookAsync(call, ApplicationId, token);
        if (interaction is null
            || !await CheckMessageBodyAsync(call, DiscordSchemas.WebhookExecute, MessageKind.InteractionFollowUp, requireContent: true))
        {
            return;
        }

        string id;
        lock (_sync)
        {
            // Right after a type 5 defer, Discord makes the first follow-up edit the loading message.
            id = interaction.DeferredOriginalPending ? interaction.OriginalMessageId! : _snowflakes.Next();
            interaction.DeferredOriginalPending = false;
        }

        call.AfterRecord.Add(() => interaction.RecordFollowUp(new RecordedMessage(id, call.Body, null)));
        await JsonAsync(call, StatusCodes.Status200OK, MessageObject(id, ChannelOf(interaction), call.Body, BotAuthor(), ApplicationId));
    }

    private async Task ExecuteWebhookAsync(RestCall call, string id, string token)
    {
        Webhook? webhook;
        lock (_sync)
        {
            webhook = _webhooks.GetValueOrDefault(id) is { } found && _channels[found.ChannelId].State != ChannelState.Unknown ? found : null;
        }

        if (webhook is null)
        {
            await ErrorAsync(call, StatusCodes.Status404NotFound, 10015, "Unknown Webhook");
            return;
        }

        if (webhook.Token != token)
        {
            await ErrorAsync(call, StatusCodes.Status401Unauthorized, 50027, "Invalid Webhook Token");
            return;
        }

        var query = call.Context.Request.Query;
        bool? wait = query["wait"].ToString() switch
        {
            "" or "false" or "False" or "0" => false,
            "true" or "True" or "1" => true,
            _ => null,
        };
        var threadId = query["thread_id"].ToString();
        if (wait is null || (threadId.Length > 0 && !DocsRules.IsSnowflake(threadId)))
        {
            await InvalidBodyAsync(call, [wait is null
                ? new Violation("/wait", "BOOLEAN_TYPE_COERCE", $"Value \"{query["wait"]}\" is not a boolean (true|True|1|false|False|0).")
                : NotSnowflake("/thread_id", threadId)]);
            return;
        }

        if (!await CheckMessageBodyAsync(call, DiscordSchemas.WebhookExecute, MessageKind.WebhookExecute, requireContent: true))
        {
            return;
        }

        var messageId = _snowflakes.Next();
        lock (_sync)
        {
            webhook.Messages.Add(new RecordedMessage(messageId, call.Body, DocsRules.Nonce(call.Body)));
        }

        if (wait != true)
        {
            NoContent(call);
            return;
        }

        var author = new JsonObject
        {
            ["id"] = webhook.Id,
            ["username"] = call.Body.TryGetProperty("username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : "Fake Webhook",
            ["discriminator"] = "0000",
            ["avatar"] = null,
            ["bot"] = true,
        };
        await JsonAsync(call, StatusCodes.Status200OK, MessageObject(messageId, threadId.Length > 0 ? threadId : webhook.ChannelId, call.Body, author, webhook.Id));
    }

    /// <summary>The interaction behind an interaction webhook, or null after answering 404 10015 / 401 50027 as Discord does.</summary>
    private async Task<FakeInteraction?> InteractionWebhookAsync(RestCall call, string app, string token)
    {
        FakeInteraction? interaction = null;
        bool acknowledged;
        lock (_sync)
        {
            if (app == ApplicationId)
            {
                _interactionsByToken.TryGetValue(token, out interaction);
            }

            acknowledged = interaction?.AcknowledgedType is not null;
        }

        if (interaction is null)
        {
            await ErrorAsync(call, StatusCodes.Status404NotFound, 10015, "Unknown Webhook");
            return null;
        }

        if (_time.GetUtcNow() - interaction.SentAt > _options.InteractionTokenLifetime)
        {
            await ErrorAsync(call, StatusCodes.Status401Unauthorized, 50027, "Invalid Webhook Token");
            return null;
        }

        if (!acknowledged)
        {
            await ErrorAsync(call, StatusCodes.Status404NotFound, 10015, "Unknown Webhook");
            return null;
        }

        return interaction;
    }

    /// <summary>Validates a message body; on failure answers 400 (50035, or 50006 when empty) and returns false.</summary>
    private async Task<bool> CheckMessageBodyAsync(RestCall call, string schemaRoot, MessageKind kind, bool requireContent)
    {
        var violations = Validate(schemaRoot, call.Body, list => DocsRules.CheckMessage(call.Body, kind, "", list));
        if (violations.Count > 0)
        {
            await InvalidBodyAsync(call, violations);
            return false;
        }

        if (requireContent && DocsRules.IsEmptyMessage(call.Body))
        {
            await EmptyMessageAsync(call);
            return false;
        }

        return true;
    }

    private static List<Violation> CheckInteractionResponse(FakeInteraction interaction, JsonElement body) =>
        Validate(DiscordSchemas.InteractionCallback, body, list => DocsRules.CheckCallback(body, interaction.Type, list));

    private static bool IsEmptyResponseData(JsonElement body) =>
        !body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object || DocsRules.IsEmptyMessage(data);

    private bool TryAcknowledge(FakeInteraction interaction, int type)
    {
        lock (_sync)
        {
            if (interaction.AcknowledgedType is not null)
            {
                return false;
            }

            interaction.AcknowledgedType = type;
            if (type is 4 or 5)
            {
                interaction.OriginalMessageId = _snowflakes.Next();
                interaction.DeferredOriginalPending = type == 5;
            }

            return true;
        }
    }

    private static string ChannelOf(FakeInteraction interaction) =>
        interaction.Payload.TryGetProperty("channel_id", out var channel) ? channel.GetString() ?? "0" : "0";

    private static List<Violation> Validate(string schemaRoot, JsonElement body, Action<List<Violation>> docsRules)
    {
        var violations = new List<Violation>(DiscordSchemas.Validate(schemaRoot, body));
        docsRules(violations);
        // The schema and the docs often name the same limit (e.g. title ≤ 256): report it once.
        return [.. violations.DistinctBy(v => (v.Pointer, v.Code))];
    }

    private static Violation NotSnowflake(string pointer, string value) =>
        new(pointer, "NUMBER_TYPE_COERCE", $"Value \"{value}\" is not snowflake.");

    private static JsonObject RootError(string code, string message) =>
        Violation.ToErrorsObject([new Violation("", code, message)]);

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && string.Equals(parsed.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);

    private static JsonObject BotAuthor() => new()
    {
        ["id"] = BotUserId,
        ["username"] = BotUsername,
        ["discriminator"] = "0",
        ["global_name"] = null,
        ["avatar"] = null,
        ["bot"] = true,
    };

    /// <summary>A message object as Discord returns it (platform-apis.md A8.3).</summary>
    private JsonObject MessageObject(string id, string channelId, JsonElement body, JsonObject author, string? webhookId)
    {
        var hasBody = body.ValueKind == JsonValueKind.Object;
        var embeds = new JsonArray();
        if (hasBody && body.TryGetProperty("embeds", out var sent) && sent.ValueKind == JsonValueKind.Array)
        {
            foreach (var embed in sent.EnumerateArray())
            {
                var node = JsonNode.Parse(embed.GetRawText())!.AsObject();
                node["type"] = "rich";
                embeds.Add(node);
            }
        }

        var message = new JsonObject
        {
            ["id"] = id,
            ["channel_id"] = channelId,
            ["type"] = 0,
            ["content"] = hasBody && body.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : "",
            ["embeds"] = embeds,
            ["author"] = author,
            ["timestamp"] = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture),
            ["edited_timestamp"] = null,
            ["flags"] = hasBody && body.TryGetProperty("flags", out var f) && f.TryGetInt64(out var flags) ? flags : 0,
            ["mentions"] = new JsonArray(),
            ["mention_roles"] = new JsonArray(),
            ["attachments"] = new JsonArray(),
            ["components"] = new JsonArray(),
            ["pinned"] = false,
            ["mention_everyone"] = false,
            ["tts"] = hasBody && body.TryGetProperty("tts", out var tts) && tts.ValueKind == JsonValueKind.True,
        };
        if (webhookId is not null)
        {
            message["webhook_id"] = webhookId;
        }

        if (hasBody && body.TryGetProperty("nonce", out var nonce) && nonce.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            message["nonce"] = JsonNode.Parse(nonce.GetRawText());
        }

        return message;
    }

    private static void SetRateLimitHeaders(RestCall call, BucketState state)
    {
        var headers = call.Context.Response.Headers;
        headers["X-RateLimit-Limit"] = state.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = state.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = (state.ResetAt.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset-After"] = Math.Max(0, state.ResetAfter.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Bucket"] = state.Hash;
    }

    private Task ThrottledAsync(RestCall call, Throttle throttle)
    {
        var seconds = Math.Max(0, throttle.RetryAfter.TotalSeconds);
        var headers = call.Context.Response.Headers;
        headers.RetryAfter = ((int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture);
        if (throttle.Kind == RateLimitKind.Cloudflare)
        {
            foreach (var name in headers.Keys.Where(k => k.StartsWith("X-RateLimit-", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                headers.Remove(name);
            }

            var response = call.Context.Response;
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.ContentType = "text/html; charset=UTF-8";
            Record(call);
            return response.WriteAsync(CloudflareBanPage, call.Context.RequestAborted);
        }

        headers["X-RateLimit-Scope"] = throttle.Kind switch
        {
            RateLimitKind.Global => "global",
            RateLimitKind.Shared => "shared",
            _ => "user",
        };
        if (throttle.Kind == RateLimitKind.Global)
        {
            headers["X-RateLimit-Global"] = "true";
        }

        call.SharedScope = throttle.Kind == RateLimitKind.Shared;
        return JsonAsync(call, StatusCodes.Status429TooManyRequests, new JsonObject
        {
            ["message"] = throttle.Kind == RateLimitKind.Shared ? "The resource is being rate limited." : "You are being rate limited.",
            ["retry_after"] = Math.Round(seconds, 3),
            ["global"] = throttle.Kind == RateLimitKind.Global,
        });
    }

    private Task InvalidBodyAsync(RestCall call, IReadOnlyList<Violation> violations)
    {
        foreach (var violation in violations)
        {
            AddViolation(call.Where, violation.ToString());
        }

        return ErrorAsync(call, StatusCodes.Status400BadRequest, 50035, "Invalid Form Body", Violation.ToErrorsObject(violations));
    }

    private Task EmptyMessageAsync(RestCall call)
    {
        AddViolation(call.Where, new Violation("", "EMPTY_MESSAGE", "At least one of content, embeds, components, sticker_ids, attachments or poll is required.").ToString());
        return ErrorAsync(call, StatusCodes.Status400BadRequest, 50006, "Cannot send an empty message");
    }

    private Task ErrorAsync(RestCall call, int status, int code, string message, JsonObject? errors = null)
    {
        var body = new JsonObject { ["message"] = message, ["code"] = code };
        if (errors is not null)
        {
            body["errors"] = errors;
        }

        return JsonAsync(call, status, body);
    }

    private Task JsonAsync(RestCall call, int status, JsonNode body) => TextAsync(call, status, body.ToJsonString());

    private Task TextAsync(RestCall call, int status, string json)
    {
        var response = call.Context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        Record(call);
        return response.WriteAsync(json, call.Context.RequestAborted);
    }

    private void NoContent(RestCall call)
    {
        call.Context.Response.StatusCode = StatusCodes.Status204NoContent;
        Record(call);
    }

    private sealed record Route(string Template, string Major, bool BotAuth, bool Global, Func<RestCall, Task> Handler);

    private sealed class RestCall(HttpContext context)
    {
        public HttpContext Context { get; } = context;

        public string Method { get; } = context.Request.Method;

        public string Path { get; } = context.Request.Path.Value ?? "/";

        public string Query { get; } = context.Request.QueryString.Value ?? "";

        public string Where => $"{Method} {Path}";

        public string? BodyText { get; set; }

        public JsonElement Body { get; set; }

        /// <summary>A 429 with scope shared, which Discord does not count as invalid.</summary>
        public bool SharedScope { get; set; }

        public bool Recorded { get; set; }

        /// <summary>Signals (callback, follow-up) raised once the request is in <see cref="Requests"/>.</summary>
        public List<Action> AfterRecord { get; } = [];
    }
}
