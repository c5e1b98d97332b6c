using System.Text.Json;

namespace ThreatBriefBot.Chat.Discord.Rest;

/// <summary>
/// A message body: for POST channels/{id}/messages (with the nonce), webhooks, interaction responses and their
/// follow-ups (without it).
/// </summary>
internal sealed record DiscordMessage
{
    public string? Content { get; init; }

    public IReadOnlyList<DiscordEmbed>? Embeds { get; init; }

    public required AllowedMentions AllowedMentions { get; init; }

    public int? Flags { get; init; }

    public string? Nonce { get; init; }

    public bool? EnforceNonce { get; init; }
}

/// <summary>Which mentions may ping; the bot always sends an empty <c>parse</c>, so nothing does.</summary>
internal sealed record AllowedMentions(IReadOnlyList<string> Parse)
{
    public static AllowedMentions None { get; } = new([]);
}

internal sealed record DiscordEmbed(string Title, string Description, int Color, EmbedFooter Footer, string? Timestamp = null);

internal sealed record EmbedFooter(string Text);

/// <summary>The body of POST interactions/{id}/{token}/callback, or of the HTTP interactions endpoint's answer.</summary>
internal sealed record InteractionResponse(int Type, InteractionCallbackData? Data = null);

/// <summary>A message (types 4, 5) or autocomplete choices (type 8).</summary>
internal sealed record InteractionCallbackData
{
    public string? Content { get; init; }

    public IReadOnlyList<DiscordEmbed>? Embeds { get; init; }

    public AllowedMentions? AllowedMentions { get; init; }

    public int? Flags { get; init; }

    public IReadOnlyList<AutocompleteChoice>? Choices { get; init; }
}

internal sealed record AutocompleteChoice(string Name, string Value);

/// <summary>One command in the bulk overwrite PUT applications/{id}/commands.</summary>
internal sealed record ApplicationCommand(
    string Name,
    string Description,
    IReadOnlyList<ApplicationCommandOption>? Options,
    int Type,
    IReadOnlyList<int> Contexts,
    IReadOnlyList<int> IntegrationTypes);

internal sealed record ApplicationCommandOption(int Type, string Name, string Description, bool? Required = null, bool? Autocomplete = null, int? MaxLength = null);

/// <summary>An error body (any 4xx) or a 429 body; Discord's <c>retry_after</c> is in seconds, with decimals.</summary>
internal sealed record DiscordErrorBody(int? Code, string? Message, double? RetryAfter, bool? Global)
{
    /// <summary>The error body of a failed response; null when there is none or it is not Discord's JSON.</summary>
    public static DiscordErrorBody? Parse(string text)
    {
        try
        {
            return text.Length > 0 && text[0] == '{' ? JsonSerializer.Deserialize(text, DiscordJsonContext.Default.DiscordErrorBody) : null;
        }
        catch (JsonException)
        {
            // A Cloudflare page or a proxy's HTML: the status says enough.
            return null;
        }
    }
}

internal sealed record GatewayBotResponse(string Url);

/// <summary>An interaction, from a gateway INTERACTION_CREATE or a signed HTTP POST.</summary>
internal sealed record Interaction(
    string Id,
    string ApplicationId,
    int Type,
    string Token,
    string? GuildId = null,
    string? ChannelId = null,
    InteractionMember? Member = null,
    DiscordUser? User = null,
    InteractionData? Data = null);

internal sealed record InteractionMember(DiscordUser? User, string? Permissions);

internal sealed record DiscordUser(string Id);

internal sealed record InteractionData(string Name, IReadOnlyList<InteractionOption>? Options = null);

internal sealed record InteractionOption(string Name, int Type, JsonElement? Value = null, bool? Focused = null, IReadOnlyList<InteractionOption>? Options = null);
