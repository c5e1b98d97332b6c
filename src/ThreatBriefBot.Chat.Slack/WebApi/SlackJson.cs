using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ThreatBriefBot.Chat.Slack.WebApi;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PostMessageRequest))]
[JsonSerializable(typeof(SlashCommandResponse))]
[JsonSerializable(typeof(WebhookMessage))]
[JsonSerializable(typeof(SlackApiResponse))]
[JsonSerializable(typeof(SocketFrame))]
[JsonSerializable(typeof(SlashCommandPayload))]
[JsonSerializable(typeof(SocketAck))]
internal sealed partial class SlackJsonContext : JsonSerializerContext;

/// <summary>The one serializer setup for everything sent to and read from Slack.</summary>
internal static class SlackJson
{
    /// <summary>
    /// Snake case, nulls left out, and '&lt;', '&gt;', '&amp;' and non-ASCII written as themselves rather than \u003C:
    /// these bodies go over HTTP, not into HTML, and the CLI prints them for people to read.
    /// </summary>
    public static SlackJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
