using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ThreatBriefBot.Chat.Discord.Fakes.Validation;

/// <summary>Where a message body is sent; the allowed flags and the empty-message rule differ.</summary>
internal enum MessageKind
{
    ChannelMessage,
    WebhookExecute,
    InteractionFollowUp,
    EditOriginal,
    InteractionResponse,
}

/// <summary>
/// The documented limits the OpenAPI schema cannot express or states differently (platform-apis.md A2, A3, A4, A7):
/// content ≤ 2000, the 6000-character embed sum, trimmed per-field embed limits, allowed_mentions exclusivity, flags,
/// command names and option order. Characters are UTF-16 code units, as discord.js counts them.
/// </summary>
internal static partial class DocsRules
{
    public const int MaxContentLength = 2000;
    public const int MaxEmbeds = 10;
    public const int MaxEmbedTotal = 6000;
    public const int MaxEmbedTitle = 256;
    public const int MaxEmbedDescription = 4096;
    public const int MaxEmbedFields = 25;
    public const int MaxFieldName = 256;
    public const int MaxFieldValue = 1024;
    public const int MaxFooterText = 2048;
    public const int MaxAuthorName = 256;
    public const int MaxCommandsPerType = 100;
    public const int MaxContextCommands = 15;
    public const int MaxOptions = 25;
    public const int MaxChoiceName = 100;
    public const int MaxChoiceStringValue = 100;
    public const int MaxCommandTextTotal = 8000;
    public const int MaxAutocompleteChoices = 25;

    public const long SuppressEmbeds = 1 << 2;
    public const long Ephemeral = 1 << 6;
    public const long SuppressNotifications = 1 << 12;
    public const long IsVoiceMessage = 1 << 13;
    public const long IsComponentsV2 = 1 << 15;

    /// <summary>True when the body has nothing Discord would display: Discord answers 50006 Cannot send an empty message.</summary>
    public static bool IsEmptyMessage(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var hasContent = body.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString()!.Trim().Length > 0;
        return !hasContent
            && !HasItems(body, "embeds") && !HasItems(body, "components") && !HasItems(body, "sticker_ids")
            && !HasItems(body, "attachments")
            && !(body.TryGetProperty("poll", out var poll) && poll.ValueKind == JsonValueKind.Object);
    }

    public static void CheckMessage(JsonElement body, MessageKind kind, string prefix, List<Violation> into)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (String(body, "content") is { } content && content.Length > MaxContentLength)
        {
            into.Add(MaxLength(prefix + "/content", MaxContentLength));
        }

        if (body.TryGetProperty("embeds", out var embeds) && embeds.ValueKind == JsonValueKind.Array)
        {
            CheckEmbeds(embeds, prefix + "/embeds", into);
        }

        if (body.TryGetProperty("allowed_mentions", out var mentions) && mentions.ValueKind == JsonValueKind.Object)
        {
            CheckAllowedMentions(mentions, prefix + "/allowed_mentions", into);
        }

        CheckFlags(body, kind, prefix, into);
    }

    /// <summary>Type-specific rules for an interaction response (callback body, or an HTTP endpoint's inline 200).</summary>
    public static void CheckCallback(JsonElement body, int interactionType, List<Violation> into)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("type", out var typeElement) || !typeElement.TryGetInt32(out var type))
        {
            return;
        }

        int[] allowed = interactionType switch
        {
            1 => [1],
            4 => [8],
            _ => [4, 5, 9, 10, 12],
        };
        if (!allowed.Contains(type))
        {
            into.Add(new Violation("/type", "INTERACTION_RESPONSE_TYPE_INVALID",
                $"Callback type {type} is not valid for an interaction of type {interactionType} (allowed: {string.Join(", ", allowed)})."));
            return;
        }

        var data = body.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        switch (type)
        {
            case 4 when data.ValueKind == JsonValueKind.Object:
                CheckMessage(data, MessageKind.InteractionResponse, "/data", into);
                break;
            case 5 when data.ValueKind == JsonValueKind.Object:
                if (Flags(data) is { } deferFlags && (deferFlags & ~Ephemeral) != 0)
                {
                    into.Add(new Violation("/data/flags", "MESSAGE_FLAGS_INVALID", "With a deferred response (type 5) the only valid flag is EPHEMERAL (64)."));
                }

                break;
            case 8:
                CheckChoices(data, into);
                break;
        }
    }

    public static void CheckCommands(JsonElement commands, List<Violation> into)
    {
        if (commands.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var seen = new HashSet<(string, int)>();
        var perType = new Dictionary<int, int>();
        var index = 0;
        foreach (var command in commands.EnumerateArray())
        {
            var pointer = $"/{index++}";
            if (command.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var type = command.TryGetProperty("type", out var t) && t.TryGetInt32(out var parsedType) ? parsedType : 1;
            perType[type] = perType.GetValueOrDefault(type) + 1;
            var name = String(command, "name");
            if (name is not null)
            {
                CheckName(name, pointer + "/name", lowercase: type == 1, into);
                if (!seen.Add((name, type)))
                {
                    into.Add(new Violation(pointer + "/name", "APPLICATION_COMMAND_NAME_ALREADY_EXISTS", $"Application command names must be unique per type; \"{name}\" repeats."));
                }
            }

            if (type == 1 && (String(command, "description") is not { Length: > 0 }))
            {
                into.Add(new Violation(pointer + "/description", "BASE_TYPE_REQUIRED", "CHAT_INPUT commands need a description of 1-100 characters."));
            }

            if (command.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Array)
            {
                CheckOptions(options, pointer + "/options", into);
            }

            if (TextLength(command) > MaxCommandTextTotal)
            {
                into.Add(new Violation(pointer, "APPLICATION_COMMAND_TOO_LARGE", $"Combined name, description and value lengths must be at most {MaxCommandTextTotal}."));
            }
        }

        foreach (var (type, count) in perType)
        {
            var max = type == 1 ? MaxCommandsPerType : MaxContextCommands;
            if (count > max)
            {
                into.Add(new Violation("", "MAX_APPLICATION_COMMANDS", $"At most {max} commands of type {type} are allowed, got {count}."));
            }
        }
    }

    public static bool IsSnowflake(string? value) => value is { Length: > 0 and <= 20 } && SnowflakePattern().IsMatch(value);

    /// <summary>Discord's "nonce" as text: an integer's digits or the string.</summary>
    public static string? Nonce(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("nonce", out var nonce)
            ? nonce.ValueKind switch
            {
                JsonValueKind.String => nonce.GetString(),
                JsonValueKind.Number => nonce.GetRawText(),
                _ => null,
            }
            : null;

    private static void CheckEmbeds(JsonElement embeds, string pointer, List<Violation> into)
    {
        if (embeds.GetArrayLength() > MaxEmbeds)
        {
            into.Add(new Violation(pointer, "BASE_TYPE_MAX_LENGTH", $"Must be {MaxEmbeds} or fewer in length."));
        }

        var total = 0;
        var index = 0;
        foreach (var embed in embeds.EnumerateArray())
        {
            var at = $"{pointer}/{index++}";
            if (embed.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            total += Limited(embed, "title", MaxEmbedTitle, at, into);
            total += Limited(embed, "description", MaxEmbedDescription, at, into);
            var shown = HasText(embed, "title") || HasText(embed, "description");
            if (embed.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array)
            {
                shown |= fields.GetArrayLength() > 0;
                if (fields.GetArrayLength() > MaxEmbedFields)
                {
                    into.Add(new Violation(at + "/fields", "BASE_TYPE_MAX_LENGTH", $"Must be {MaxEmbedFields} or fewer in length."));
                }

                var fieldIndex = 0;
                foreach (var field in fields.EnumerateArray())
                {
                    var fieldAt = $"{at}/fields/{fieldIndex++}";
                    if (field.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }

                    total += Required(field, "name", MaxFieldName, fieldAt, into);
                    total += Required(field, "value", MaxFieldValue, fieldAt, into);
                }
            }

            if (embed.TryGetProperty("footer", out var footer) && footer.ValueKind == JsonValueKind.Object)
            {
                shown = true;
                total += Limited(footer, "text", MaxFooterText, at + "/footer", into);
                CheckUrl(footer, "icon_url", at + "/footer", allowAttachment: true, into);
            }

            if (embed.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object)
            {
                shown = true;
                total += Limited(author, "name", MaxAuthorName, at + "/author", into);
                CheckUrl(author, "url", at + "/author", allowAttachment: false, into);
                CheckUrl(author, "icon_url", at + "/author", allowAttachment: true, into);
            }

            foreach (var media in (string[])["image", "thumbnail"])
            {
                if (embed.TryGetProperty(media, out var image) && image.ValueKind == JsonValueKind.Object)
                {
                    shown = true;
                    CheckUrl(image, "url", $"{at}/{media}", allowAttachment: true, into);
                }
            }

            CheckUrl(embed, "url", at, allowAttachment: false, into);
            if (String(embed, "timestamp") is { } timestamp
                && !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
            {
                into.Add(new Violation(at + "/timestamp", "DATE_TIME_TYPE_PARSE", $"Could not parse {timestamp}. Should be ISO8601."));
            }

            if (!shown)
            {
                into.Add(new Violation(at, "EMBED_EMPTY", "An embed needs at least one of title, description, fields, footer, author, image or thumbnail."));
            }
        }

        if (total > MaxEmbedTotal)
        {
            into.Add(new Violation(pointer, "MAX_EMBED_SIZE_EXCEEDED", $"Embed size exceeds maximum size of {MaxEmbedTotal} (got {total})."));
        }
    }

    private static void CheckAllowedMentions(JsonElement mentions, string pointer, List<Violation> into)
    {
        if (!mentions.TryGetProperty("parse", out var parse) || parse.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var parsed = parse.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()).ToHashSet();
        foreach (var list in (string[])["users", "roles"])
        {
            if (parsed.Contains(list) && mentions.TryGetProperty(list, out var ids) && ids.ValueKind == JsonValueKind.Array)
            {
                into.Add(new Violation(pointer + "/parse", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    $"parse:[\"{list}\"] and {list}: [ids] are mutually exclusive."));
            }
        }
    }

    private static void CheckFlags(JsonElement body, MessageKind kind, string prefix, List<Violation> into)
    {
        if (Flags(body) is not { } flags)
        {
            return;
        }

        var allowed = kind switch
        {
            MessageKind.ChannelMessage => SuppressEmbeds | SuppressNotifications | IsVoiceMessage | IsComponentsV2,
            MessageKind.WebhookExecute => SuppressEmbeds | SuppressNotifications | IsComponentsV2,
            _ => SuppressEmbeds | Ephemeral | SuppressNotifications | IsVoiceMessage | IsComponentsV2,
        };
        if ((flags & ~allowed) != 0)
        {
            into.Add(new Violation(prefix + "/flags", "MESSAGE_FLAGS_INVALID", $"Flags {flags & ~allowed} may not be set here (allowed mask {allowed})."));
        }

        if ((flags & IsComponentsV2) != 0 && (HasText(body, "content") || HasItems(body, "embeds")))
        {
            into.Add(new Violation(prefix + "/flags", "MESSAGE_FLAGS_INVALID", "With IS_COMPONENTS_V2 content and embeds cannot be sent."));
        }
    }

    private static void CheckChoices(JsonElement data, List<Violation> into)
    {
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        if (choices.GetArrayLength() > MaxAutocompleteChoices)
        {
            into.Add(new Violation("/data/choices", "BASE_TYPE_MAX_LENGTH", $"Must be {MaxAutocompleteChoices} or fewer in length."));
        }

        CheckChoiceItems(choices, "/data/choices", into);
    }

    private static void CheckOptions(JsonElement options, string pointer, List<Violation> into)
    {
        if (options.GetArrayLength() > MaxOptions)
        {
            into.Add(new Violation(pointer, "BASE_TYPE_MAX_LENGTH", $"Must be {MaxOptions} or fewer in length."));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var sawOptional = false;
        var index = 0;
        foreach (var option in options.EnumerateArray())
        {
            var at = $"{pointer}/{index++}";
            if (option.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (String(option, "name") is { } name)
            {
                CheckName(name, at + "/name", lowercase: true, into);
                if (!names.Add(name))
                {
                    into.Add(new Violation(at + "/name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", $"Option names must be unique; \"{name}\" repeats."));
                }
            }

            var required = option.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True;
            if (required && sawOptional)
            {
                into.Add(new Violation(at + "/required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options."));
            }

            sawOptional |= !required;
            var hasChoices = option.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array;
            if (hasChoices)
            {
                CheckChoiceItems(choices, at + "/choices", into);
            }

            if (hasChoices && choices.GetArrayLength() > 0 && option.TryGetProperty("autocomplete", out var auto) && auto.ValueKind == JsonValueKind.True)
            {
                into.Add(new Violation(at + "/autocomplete", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES", "Autocomplete may not be enabled if there are choices."));
            }

            if (option.TryGetProperty("options", out var nested) && nested.ValueKind == JsonValueKind.Array)
            {
                CheckOptions(nested, at + "/options", into);
            }
        }
    }

    private static void CheckChoiceItems(JsonElement choices, string pointer, List<Violation> into)
    {
        var index = 0;
        foreach (var choice in choices.EnumerateArray())
        {
            var at = $"{pointer}/{index++}";
            if (choice.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (String(choice, "name") is not { Length: > 0 and <= MaxChoiceName })
            {
                into.Add(new Violation(at + "/name", "BASE_TYPE_BAD_LENGTH", $"Must be between 1 and {MaxChoiceName} in length."));
            }

            if (String(choice, "value") is { Length: > MaxChoiceStringValue })
            {
                into.Add(MaxLength(at + "/value", MaxChoiceStringValue));
            }
        }
    }

    private static void CheckName(string name, string pointer, bool lowercase, List<Violation> into)
    {
        if (!CommandNamePattern().IsMatch(name))
        {
            into.Add(new Violation(pointer, "APPLICATION_COMMAND_INVALID_NAME", $"Command name \"{name}\" is invalid (1-32 letters, digits, '-', '_' or apostrophe)."));
        }
        else if (lowercase && !string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            into.Add(new Violation(pointer, "APPLICATION_COMMAND_INVALID_NAME", $"Command name \"{name}\" must be lowercase."));
        }
    }

    private static void CheckUrl(JsonElement owner, string property, string pointer, bool allowAttachment, List<Violation> into)
    {
        if (String(owner, property) is not { } url)
        {
            return;
        }

        var ok = Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || (allowAttachment && uri.Scheme == "attachment"));
        if (!ok)
        {
            into.Add(new Violation($"{pointer}/{property}", "URL_TYPE_INVALID_URL", $"Not a well formed URL (http, https{(allowAttachment ? " or attachment" : "")}): {url}"));
        }
    }

    /// <summary>Checks a limit on the trimmed text and returns its length for the embed sum.</summary>
    private static int Limited(JsonElement owner, string property, int max, string pointer, List<Violation> into)
    {
        if (String(owner, property) is not { } text)
        {
            return 0;
        }

        var length = text.Trim().Length;
        if (length > max)
        {
            into.Add(MaxLength($"{pointer}/{property}", max));
        }

        return length;
    }

    private static int Required(JsonElement owner, string property, int max, string pointer, List<Violation> into)
    {
        if (String(owner, property) is not { } text || text.Trim().Length == 0)
        {
            into.Add(new Violation($"{pointer}/{property}", "BASE_TYPE_REQUIRED", "This field is required"));
            return 0;
        }

        return Limited(owner, property, max, pointer, into);
    }

    private static int TextLength(JsonElement node) => node.ValueKind switch
    {
        JsonValueKind.Object => node.EnumerateObject().Sum(p => p.Name is "name" or "description" or "value" && p.Value.ValueKind == JsonValueKind.String
            ? p.Value.GetString()!.Length
            : TextLength(p.Value)),
        JsonValueKind.Array => node.EnumerateArray().Sum(TextLength),
        _ => 0,
    };

    private static Violation MaxLength(string pointer, int max) => new(pointer, "BASE_TYPE_MAX_LENGTH", $"Must be {max} or fewer in length.");

    private static long? Flags(JsonElement body) =>
        body.TryGetProperty("flags", out var flags) && flags.ValueKind == JsonValueKind.Number && flags.TryGetInt64(out var value) ? value : null;

    private static string? String(JsonElement owner, string property) =>
        owner.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool HasText(JsonElement owner, string property) => String(owner, property) is { } text && text.Trim().Length > 0;

    private static bool HasItems(JsonElement owner, string property) =>
        owner.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0;

    [GeneratedRegex("^(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex SnowflakePattern();

    // Docs: ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$; .NET has no script classes, the Unicode blocks stand in for them.
    [GeneratedRegex(@"^[-_'\p{L}\p{N}\p{IsDevanagari}\p{IsThai}]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex CommandNamePattern();
}
