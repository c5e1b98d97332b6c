using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace ThreatBriefBot.Chat.Discord.Fakes.Validation;

/// <summary>
/// The request-body schemas of discord/discord-api-spec (embedded subset, see Schemas/extract-schemas.py), evaluated
/// with JsonSchema.Net (2020-12). Reports each failure once at its instance location: in oneOf/anyOf unions it follows
/// only the branches whose type/discriminator fits, so a too-long title is not buried under "should be null" noise.
/// </summary>
internal static class DiscordSchemas
{
    public const string MessageCreate = "MessageCreateRequest";
    public const string CommandsBulkUpdate = "ApplicationCommandBulkUpdateRequest";
    public const string GuildCommandsBulkUpdate = "GuildApplicationCommandBulkUpdateRequest";
    public const string InteractionCallback = "InteractionCallbackRequest";
    // The path's schema (WebhookExecuteRequest in the subset) is anyOf(IncomingWebhookRequestPartial,
    // IncomingWebhookUpdateRequestPartial); neither forbids extra properties, so the union would let an invalid
    // username through the update branch. Execute and follow-up bodies are checked against the execute partial.
    public const string WebhookExecute = "IncomingWebhookRequestPartial";
    public const string WebhookEditOriginal = "WebhookEditOriginalRequest";

    private const string ResourceName = "ThreatBriefBot.Chat.Discord.Fakes.Schemas.discord-openapi.subset.json";
    private static readonly Lazy<JsonObject> Document = new(Load);
    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> Schemas = new(StringComparer.Ordinal);
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.Hierarchical, Culture = CultureInfo.InvariantCulture };

    /// <summary>The x-source header of the embedded subset (repository, commit, sha256 of the spec file).</summary>
    public static JsonNode Source => Document.Value["x-source"]!;

    public static IReadOnlyList<Violation> Validate(string root, JsonElement body)
    {
        var schema = Schemas.GetOrAdd(root, name => new Lazy<JsonSchema>(() => Build(name))).Value;
        var result = schema.Evaluate(body, Evaluation);
        return result.IsValid ? [] : [.. Failures(result).Distinct()];
    }

    private static JsonObject Load()
    {
        using var stream = typeof(DiscordSchemas).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        return JsonNode.Parse(stream)!.AsObject();
    }

    private static JsonSchema Build(string root)
    {
        var document = (JsonObject)Document.Value.DeepClone();
        if (document["$defs"]?[root] is null)
        {
            throw new ArgumentException($"No schema named {root} in the embedded subset.", nameof(root));
        }

        document.Remove("x-source");
        document.Remove("x-patches");
        document["$ref"] = "#/$defs/" + root;
        // Each root gets its own registry: the documents share anchors and must not collide in the global one.
        return JsonSchema.Build(JsonSerializer.SerializeToElement(document), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static IEnumerable<Violation> Failures(EvaluationResults node)
    {
        if (node.IsValid)
        {
            yield break;
        }

        var location = node.InstanceLocation.ToString();
        if (node.Errors is { } errors)
        {
            foreach (var (keyword, message) in errors)
            {
                yield return new Violation(location, CodeFor(keyword), message);
            }
        }

        var children = (node.Details ?? []).Where(child => !child.IsValid).ToList();
        var branchPath = new Regex("^" + Regex.Escape(node.EvaluationPath.ToString()) + "/(?:oneOf|anyOf)/[0-9]+$", RegexOptions.CultureInvariant);
        var branches = children.Where(child => branchPath.IsMatch(child.EvaluationPath.ToString())).ToList();
        if (branches.Count > 0)
        {
            var plausible = branches.Where(branch => !Failures(branch).Any(v => IsWrongBranch(v, location))).ToList();
            if (plausible.Count == 0)
            {
                yield return new Violation(location, "BASE_TYPE_CHOICES", "Value does not match any of the allowed types or values.");
            }

            children = [.. children.Except(branches).Concat(plausible)];
        }

        foreach (var violation in children.SelectMany(Failures))
        {
            yield return violation;
        }
    }

    /// <summary>A branch that fails on the value's type, or on a "type" discriminator, was not the one the client meant.</summary>
    private static bool IsWrongBranch(Violation violation, string unionLocation) =>
        (violation.Pointer == unionLocation || violation.Pointer == unionLocation + "/type")
        && violation.Code is "BASE_TYPE_BAD_TYPE" or "BASE_TYPE_CHOICES";

    private static string CodeFor(string keyword) => keyword switch
    {
        "maxLength" or "maxItems" or "maxProperties" or "maximum" or "exclusiveMaximum" => "BASE_TYPE_MAX_LENGTH",
        "minLength" or "minItems" or "minProperties" or "minimum" or "exclusiveMinimum" => "BASE_TYPE_MIN_LENGTH",
        "required" => "BASE_TYPE_REQUIRED",
        "type" => "BASE_TYPE_BAD_TYPE",
        "const" or "enum" => "BASE_TYPE_CHOICES",
        "pattern" => "STRING_TYPE_REGEX",
        "uniqueItems" => "BASE_TYPE_DUPLICATE",
        _ => "SCHEMA_" + keyword.ToUpperInvariant(),
    };
}
