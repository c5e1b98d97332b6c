using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ThreatBriefBot.Chat.Slack.Fakes;

/// <summary>A broken rule in a message body: where (JSON pointer), why, and the Slack error code it earns.</summary>
internal sealed record Violation(string Pointer, string Reason, string Error)
{
    /// <summary>Slack's own wording in invalid_blocks errors, e.g. "must be less than 3001 characters [json-pointer:/blocks/0/text/text]".</summary>
    public string SlackMessage => $"{Reason} [json-pointer:{Pointer}]";
}

/// <summary>The bodies the fake validates; each has a request schema in the embedded spec subset.</summary>
internal enum MessageKind
{
    PostMessageJson,
    PostMessageForm,
    ResponseUrl,
    IncomingWebhook,
}

/// <summary>
/// Checks message bodies against the parameter names and types from Slack's OpenAPI spec (embedded subset, see
/// Schemas/extract-schemas.py) and against the Block Kit limits the spec leaves out (platform-apis.md B3).
/// </summary>
internal static class MessageValidator
{
    public const int MaxBlocks = 50;
    public const int MaxHeaderText = 150;
    public const int MaxTextObject = 3000;
    public const int MaxSectionFields = 10;
    public const int MaxFieldText = 2000;
    public const int MaxContextElements = 10;
    public const int MaxBlockId = 255;
    public const int MaxMarkdownBlockText = 12_000;

    private const string SubsetResource = "ThreatBriefBot.Chat.Slack.Fakes.Schemas.slack-chat-postmessage.subset.json";

    // Block types Slack accepts in messages; only the ones a digest uses are checked in depth.
    private static readonly HashSet<string> s_otherBlockTypes = new(StringComparer.Ordinal)
    {
        "image", "actions", "rich_text", "input", "file", "video", "call",
    };

    private static readonly Lazy<SpecSubset> s_subset = new(LoadSubset);

    /// <summary>The embedded subset of the spec: its source header, and the response schemas.</summary>
    public static JsonObject Subset => s_subset.Value.Document;

    /// <summary>Validates a body; for form bodies <paramref name="normalized"/> has blocks/attachments parsed from their JSON strings.</summary>
    public static List<Violation> Validate(MessageKind kind, JsonElement body, out JsonElement normalized)
    {
        var violations = new List<Violation>();
        normalized = body;
        foreach (var (pointer, reason) in Evaluate(s_subset.Value.RequestSchemas[kind], body))
        {
            violations.Add(new Violation(pointer, reason, ErrorFor(pointer, reason)));
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return violations;
        }

        JsonElement? blocks = null;
        if (kind == MessageKind.PostMessageForm)
        {
            normalized = NormalizeForm(body, violations);
            if (normalized.TryGetProperty("blocks", out var parsed) && parsed.ValueKind == JsonValueKind.Array)
            {
                blocks = parsed;
            }
        }
        else if (body.TryGetProperty("blocks", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            blocks = array;
        }

        if (blocks is { } blockArray)
        {
            CheckBlocks(blockArray, violations);
            if (blockArray.GetArrayLength() > 0 && string.IsNullOrWhiteSpace(StringProperty(normalized, "text")))
            {
                violations.Add(new Violation("/text", "a plain-text text fallback is required when blocks are present", "invalid_blocks"));
            }
        }

        return violations;
    }

    /// <summary>Validates a response the fake sends against one of the spec's response schemas ("success" or "error").</summary>
    public static IReadOnlyList<string> ValidateResponse(string which, JsonElement response) =>
        [.. Evaluate(s_subset.Value.ResponseSchemas[which], response).Select(e => $"{e.Pointer}: {e.Reason}")];

    public static string? StringProperty(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static JsonElement ToElement(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    private static string ErrorFor(string pointer, string reason)
    {
        if (pointer == "/channel" || reason.Contains("channel", StringComparison.Ordinal))
        {
            return "channel_not_found";
        }

        if (reason.StartsWith("unknown parameter", StringComparison.Ordinal))
        {
            return "invalid_arg_name";
        }

        return pointer.StartsWith("/blocks", StringComparison.Ordinal) ? "invalid_blocks_format" : "invalid_arguments";
    }

    private static IEnumerable<(string Pointer, string Reason)> Evaluate(JsonSchema schema, JsonElement instance)
    {
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            yield break;
        }

        var failures = new List<(string, string)>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.IsValid || detail.Errors is null)
            {
                continue;
            }

            var pointer = detail.InstanceLocation.ToString();
            foreach (var (keyword, message) in detail.Errors)
            {
                // additionalProperties:false reports each extra name at its own location through the false schema.
                var reason = keyword is "" or "false" || detail.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal)
                    ? $"unknown parameter {pointer[(pointer.LastIndexOf('/') + 1)..]}"
                    : $"{keyword}: {message}";
                failures.Add((pointer, reason));
            }
        }

        if (failures.Count == 0)
        {
            failures.Add(("", "does not match the spec's schema"));
        }

        foreach (var failure in failures.Distinct())
        {
            yield return failure;
        }
    }

    /// <summary>Form values are all strings; blocks and attachments carry JSON that must parse to an array.</summary>
    private static JsonElement NormalizeForm(JsonElement form, List<Violation> violations)
    {
        var normalized = new JsonObject();
        foreach (var property in form.EnumerateObject())
        {
            if (property.Name is "blocks" or "attachments" && property.Value.ValueKind == JsonValueKind.String)
            {
                JsonNode? parsed = null;
                try
                {
                    parsed = JsonNode.Parse(property.Value.GetString()!);
                }
                catch (JsonException)
                {
                    // Reported below as not an array.
                }

                if (parsed is JsonArray)
                {
                    normalized[property.Name] = parsed;
                    continue;
                }

                violations.Add(new Violation("/" + property.Name, "must be a JSON-encoded array", property.Name == "blocks" ? "invalid_blocks_format" : "invalid_arguments"));
            }

            normalized[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }

        return ToElement(normalized);
    }

    private static void CheckBlocks(JsonElement blocks, List<Violation> violations)
    {
        if (blocks.GetArrayLength() > MaxBlocks)
        {
            Add(violations, "/blocks", $"no more than {MaxBlocks} items allowed");
        }

        var index = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            CheckBlock(block, $"/blocks/{index++}", violations);
        }
    }

    private static void CheckBlock(JsonElement block, string pointer, List<Violation> violations)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            Add(violations, pointer, "must be an object");
            return;
        }

        if (block.TryGetProperty("block_id", out var blockId) && (blockId.ValueKind != JsonValueKind.String || blockId.GetString()!.Length > MaxBlockId))
        {
            Add(violations, pointer + "/block_id", $"must be a string of less than {MaxBlockId + 1} characters");
        }

        var type = StringProperty(block, "type");
        switch (type)
        {
            case "header":
                CheckTextObject(block, "text", pointer, MaxHeaderText, plainTextOnly: true, required: true, violations);
                break;
            case "section":
                CheckSection(block, pointer, violations);
                break;
            case "context":
                CheckContext(block, pointer, violations);
                break;
            case "divider":
                break;
            case "markdown":
                CheckLength(StringProperty(block, "text"), pointer + "/text", MaxMarkdownBlockText, violations);
                break;
            case null:
                Add(violations, pointer + "/type", "missing required field: type");
                break;
            default:
                if (!s_otherBlockTypes.Contains(type))
                {
                    Add(violations, pointer + "/type", $"unsupported type: {type}");
                }

                break;
        }
    }

    private static void CheckSection(JsonElement block, string pointer, List<Violation> violations)
    {
        var hasFields = block.TryGetProperty("fields", out var fields);
        if (!block.TryGetProperty("text", out _) && !hasFields)
        {
            Add(violations, pointer, "must provide text or fields");
        }

        CheckTextObject(block, "text", pointer, MaxTextObject, plainTextOnly: false, required: false, violations);
        if (!hasFields)
        {
            return;
        }

        if (fields.ValueKind != JsonValueKind.Array)
        {
            Add(violations, pointer + "/fields", "must be an array");
            return;
        }

        if (fields.GetArrayLength() > MaxSectionFields)
        {
            Add(violations, pointer + "/fields", $"no more than {MaxSectionFields} items allowed");
        }

        var index = 0;
        foreach (var field in fields.EnumerateArray())
        {
            CheckTextObject(field, $"{pointer}/fields/{index++}", MaxFieldText, plainTextOnly: false, violations);
        }
    }

    private static void CheckContext(JsonElement block, string pointer, List<Violation> violations)
    {
        if (!block.TryGetProperty("elements", out var elements) || elements.ValueKind != JsonValueKind.Array || elements.GetArrayLength() == 0)
        {
            Add(violations, pointer + "/elements", "must be a non-empty array");
            return;
        }

        if (elements.GetArrayLength() > MaxContextElements)
        {
            Add(violations, pointer + "/elements", $"no more than {MaxContextElements} items allowed");
        }

        var index = 0;
        foreach (var element in elements.EnumerateArray())
        {
            var elementPointer = $"{pointer}/elements/{index++}";
            if (StringProperty(element, "type") == "image")
            {
                if (StringProperty(element, "image_url") is null || StringProperty(element, "alt_text") is null)
                {
                    Add(violations, elementPointer, "image elements need image_url and alt_text");
                }
            }
            else
            {
                CheckTextObject(element, elementPointer, MaxTextObject, plainTextOnly: false, violations);
            }
        }
    }

    private static void CheckTextObject(JsonElement parent, string property, string pointer, int maxLength, bool plainTextOnly, bool required, List<Violation> violations)
    {
        if (parent.TryGetProperty(property, out var text))
        {
            CheckTextObject(text, $"{pointer}/{property}", maxLength, plainTextOnly, violations);
        }
        else if (required)
        {
            Add(violations, $"{pointer}/{property}", "missing required field: " + property);
        }
    }

    private static void CheckTextObject(JsonElement text, string pointer, int maxLength, bool plainTextOnly, List<Violation> violations)
    {
        if (text.ValueKind != JsonValueKind.Object)
        {
            Add(violations, pointer, "must be a text object");
            return;
        }

        var type = StringProperty(text, "type");
        if (plainTextOnly ? type != "plain_text" : type is not ("plain_text" or "mrkdwn"))
        {
            Add(violations, pointer + "/type", plainTextOnly ? "must be plain_text" : "must be plain_text or mrkdwn");
        }

        CheckLength(StringProperty(text, "text"), pointer + "/text", maxLength, violations);
    }

    private static void CheckLength(string? text, string pointer, int maxLength, List<Violation> violations)
    {
        if (text is null)
        {
            Add(violations, pointer, "must provide a string");
        }
        else if (text.Length == 0)
        {
            Add(violations, pointer, "must be more than 0 characters");
        }
        else if (text.Length > maxLength)
        {
            Add(violations, pointer, $"must be less than {maxLength + 1} characters");
        }
    }

    private static void Add(List<Violation> violations, string pointer, string reason) =>
        violations.Add(new Violation(pointer, reason, "invalid_blocks"));

    private static SpecSubset LoadSubset()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(SubsetResource)
            ?? throw new InvalidOperationException($"Embedded resource {SubsetResource} is missing.");
        var document = JsonNode.Parse(stream)!.AsObject();
        var definitions = document["definitions"]!;

        JsonSchema Build(JsonNode schema, string name)
        {
            var root = schema.DeepClone().AsObject();
            root["$schema"] = document["$schema"]!.DeepClone();
            root["definitions"] = definitions.DeepClone();
            return JsonSchema.FromText(root.ToJsonString(), baseUri: new Uri($"https://fake-slack.invalid/schemas/{name}"));
        }

        var requests = document["request_schemas"]!;
        var responses = document["responses"]!;
        return new SpecSubset(
            document,
            new Dictionary<MessageKind, JsonSchema>
            {
                [MessageKind.PostMessageJson] = Build(requests["chat_post_message_json"]!, "chat_post_message_json"),
                [MessageKind.PostMessageForm] = Build(requests["chat_post_message_form"]!, "chat_post_message_form"),
                [MessageKind.ResponseUrl] = Build(requests["response_url"]!, "response_url"),
                [MessageKind.IncomingWebhook] = Build(requests["incoming_webhook"]!, "incoming_webhook"),
            },
            new Dictionary<string, JsonSchema>(StringComparer.Ordinal)
            {
                ["success"] = Build(responses["success"]!, "success"),
                ["error"] = Build(responses["error"]!, "error"),
            });
    }

    private sealed record SpecSubset(JsonObject Document, Dictionary<MessageKind, JsonSchema> RequestSchemas, Dictionary<string, JsonSchema> ResponseSchemas);
}
