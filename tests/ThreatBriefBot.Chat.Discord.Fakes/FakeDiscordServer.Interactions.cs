using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;

namespace ThreatBriefBot.Chat.Discord.Fakes;

public sealed partial class FakeDiscordServer
{
    /// <summary>
    /// Pushes INTERACTION_CREATE on the latest gateway session. While that session has no connection the dispatch is
    /// buffered and replayed when the client resumes; the interaction's 3-second clock starts now either way.
    /// </summary>
    public async Task<FakeInteraction> SendCommandAsync(SlashCommandSpec command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        GatewaySession session;
        lock (_sync)
        {
            session = _latestSession ?? throw new InvalidOperationException("No gateway session yet: wait for READY (WaitForReadyAsync) first.");
        }

        if (session.Invalidated)
        {
            throw new InvalidOperationException("The latest gateway session was invalidated: wait for the client to identify again (WaitForReadyAsync).");
        }

        var interaction = CreateInteraction(command);
        await DispatchAsync(session, "INTERACTION_CREATE", interaction.Payload.GetRawText(), cancellationToken);
        return interaction;
    }

    /// <summary>
    /// POSTs the interaction to an HTTP interactions endpoint, signed as Discord signs it. A 200 answer is taken as the
    /// inline interaction response (validated and recorded as the callback); 202 means the endpoint uses the callback route.
    /// The response content is buffered, so the caller can read it too.
    /// </summary>
    public async Task<HttpResponseMessage> PostInteractionAsync(Uri endpoint, SlashCommandSpec command, SignatureMode signature = SignatureMode.Valid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var interaction = CreateInteraction(command);
        return await PostAsync(endpoint, interaction, signature, cancellationToken);
    }

    /// <summary>POSTs a PING (type 1); an endpoint must answer 200 {"type":1} with Content-Type application/json.</summary>
    public async Task<HttpResponseMessage> PostPingAsync(Uri endpoint, SignatureMode signature = SignatureMode.Valid, CancellationToken cancellationToken = default)
    {
        var payload = new JsonObject
        {
            ["id"] = _snowflakes.Next(),
            ["application_id"] = ApplicationId,
            ["type"] = 1,
            ["token"] = RandomToken(128),
            ["version"] = 1,
            ["entitlements"] = new JsonArray(),
        };
        return await PostAsync(endpoint, Register(payload, 1), signature, cancellationToken);
    }

    private async Task<HttpResponseMessage> PostAsync(Uri endpoint, FakeInteraction interaction, SignatureMode signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var body = Encoding.UTF8.GetBytes(interaction.Payload.GetRawText());
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.ParseAdd("Discord-Interactions/1.0 (+https://discord.com)");
        if (signature != SignatureMode.Missing)
        {
            var signed = SignatureAlgorithm.Ed25519.Sign(_signingKey, [.. Encoding.UTF8.GetBytes(timestamp), .. body]);
            if (signature == SignatureMode.Tampered)
            {
                // Discord's probes: well-formed headers whose signature does not verify.
                signed[0] ^= 0x01;
            }

            request.Headers.Add("X-Signature-Ed25519", Convert.ToHexStringLower(signed));
            request.Headers.Add("X-Signature-Timestamp", timestamp);
        }

        var response = await _outbound.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        if (signature == SignatureMode.Valid)
        {
            await RecordInlineResponseAsync(interaction, response, cancellationToken);
        }

        return response;
    }

    private async Task RecordInlineResponseAsync(FakeInteraction interaction, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const string Where = "HTTP interaction response";
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            AddViolation(Where, $"CONTENT_TYPE: a 200 answer must have Content-Type application/json, was \"{response.Content.Headers.ContentType}\"");
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            AddViolation(Where, $"JSON: the 200 answer is not valid JSON ({e.Message})");
            return;
        }

        var type = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("type", out var t) && t.TryGetInt32(out var parsed) ? parsed : 0;
        var elapsed = _time.GetUtcNow() - interaction.SentAt;
        var violations = CheckInteractionResponse(interaction, body);
        foreach (var violation in violations)
        {
            AddViolation(Where, violation.ToString());
        }

        var valid = violations.Count == 0 && !(type == 4 && IsEmptyResponseData(body)) && TryAcknowledge(interaction, type);
        interaction.RecordCallbackAttempt(new RecordedCallback(type, body, elapsed, valid ? 200 : 400));
    }

    private FakeInteraction CreateInteraction(SlashCommandSpec command)
    {
        var type = command.Autocomplete ? 4 : 2;
        var options = new JsonArray();
        var index = 0;
        foreach (var (name, value) in command.Options)
        {
            var option = new JsonObject { ["type"] = 3, ["name"] = name, ["value"] = value };
            if (command.Autocomplete && ++index == command.Options.Count)
            {
                option["focused"] = true;
            }

            options.Add(option);
        }

        var (commandId, commandGuild) = RegisteredCommandId(command.Name, command.GuildId);
        var data = new JsonObject { ["id"] = commandId, ["name"] = command.Name, ["type"] = 1 };
        if (commandGuild is not null)
        {
            data["guild_id"] = commandGuild;
        }

        if (options.Count > 0)
        {
            data["options"] = options;
        }

        var payload = new JsonObject
        {
            ["id"] = _snowflakes.Next(),
            ["application_id"] = ApplicationId,
            ["type"] = type,
            ["token"] = RandomToken(128),
            ["version"] = 1,
            ["guild_id"] = command.GuildId,
            ["channel_id"] = command.ChannelId,
            ["app_permissions"] = "442368",
            ["guild"] = new JsonObject { ["id"] = command.GuildId, ["locale"] = "en-US", ["features"] = new JsonArray() },
            ["channel"] = new JsonObject { ["id"] = command.ChannelId, ["type"] = 0, ["guild_id"] = command.GuildId, ["name"] = "general" },
            ["member"] = new JsonObject
            {
                ["user"] = new JsonObject
                {
                    ["id"] = command.UserId,
                    ["username"] = "analyst",
                    ["discriminator"] = "0",
                    ["global_name"] = "Analyst",
                    ["avatar"] = null,
                },
                ["roles"] = new JsonArray("539082325061836999"),
                ["permissions"] = command.Permissions,
                ["joined_at"] = "2017-03-13T19:19:14.040000+00:00",
                ["nick"] = null,
                ["mute"] = false,
                ["deaf"] = false,
                ["pending"] = false,
                ["flags"] = 0,
            },
            ["locale"] = "en-US",
            ["guild_locale"] = "en-US",
            ["entitlements"] = new JsonArray(),
            ["authorizing_integration_owners"] = new JsonObject { ["0"] = command.GuildId },
            ["context"] = 0,
            ["attachment_size_limit"] = 10_485_760,
            ["data"] = data,
        };
        return Register(payload, type);
    }

    private FakeInteraction Register(JsonObject payload, int type)
    {
        var element = JsonSerializer.SerializeToElement(payload);
        var interaction = new FakeInteraction(payload["id"]!.GetValue<string>(), payload["token"]!.GetValue<string>(), type, _time.GetUtcNow(), element);
        lock (_sync)
        {
            _interactionsById[interaction.Id] = interaction;
            _interactionsByToken[interaction.Token] = interaction;
            _interactions.Add(interaction);
        }

        return interaction;
    }

    /// <summary>The id Discord gives the command: the registered one (guild first, then global), or a fresh one if never registered.</summary>
    private (string Id, string? GuildId) RegisteredCommandId(string name, string guildId)
    {
        lock (_sync)
        {
            foreach (var (scope, guild) in new[] { (guildId, (string?)guildId), ("", null) })
            {
                var match = _commands.GetValueOrDefault(scope)?.FirstOrDefault(c => c.GetProperty("name").GetString() == name && c.GetProperty("type").GetInt32() == 1);
                if (match is { ValueKind: JsonValueKind.Object } found)
                {
                    return (found.GetProperty("id").GetString()!, guild);
                }
            }
        }

        return (_snowflakes.Next(), null);
    }
}
