using System.Text.Json.Serialization;
using ThreatBriefBot.Chat.Discord.Gateway;
using ThreatBriefBot.Chat.Discord.Rest;

namespace ThreatBriefBot.Chat.Discord;

/// <summary>Every wire type, source-generated: Discord's names are snake_case and absent fields are omitted, not null.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(InteractionResponse))]
[JsonSerializable(typeof(IReadOnlyList<ApplicationCommand>))]
[JsonSerializable(typeof(DiscordErrorBody))]
[JsonSerializable(typeof(GatewayBotResponse))]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(HelloData))]
[JsonSerializable(typeof(ReadyData))]
[JsonSerializable(typeof(HeartbeatPayload))]
[JsonSerializable(typeof(IdentifyPayload))]
[JsonSerializable(typeof(ResumePayload))]
internal sealed partial class DiscordJsonContext : JsonSerializerContext;
