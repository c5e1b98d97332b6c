using System.Text.Json;
using System.Text.Json.Serialization;

namespace ThreatBriefBot.Chat.Discord.Gateway;

/// <summary>A payload received on the gateway: <c>s</c> and <c>t</c> are set only for dispatches (op 0).</summary>
internal sealed record GatewayPayload(int Op, JsonElement? D, int? S, string? T);

internal static class GatewayOpcode
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

internal sealed record HelloData(int HeartbeatInterval);

internal sealed record ReadyData(string SessionId, string ResumeGatewayUrl);

/// <summary>op 1; <c>d</c> is the last sequence number, sent as null before any dispatch (never omitted).</summary>
internal sealed record HeartbeatPayload([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? D, int Op = GatewayOpcode.Heartbeat);

internal sealed record IdentifyPayload(IdentifyData D, int Op = GatewayOpcode.Identify);

/// <summary>Intents 0: slash commands need none, and privileged ones would close the session with 4014.</summary>
internal sealed record IdentifyData(string Token, int Intents, IdentifyProperties Properties);

internal sealed record IdentifyProperties(string Os, string Browser, string Device);

internal sealed record ResumePayload(ResumeData D, int Op = GatewayOpcode.Resume);

internal sealed record ResumeData(string Token, string SessionId, int Seq);
