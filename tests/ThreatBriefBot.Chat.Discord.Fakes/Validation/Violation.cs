using System.Text.Json.Nodes;

namespace ThreatBriefBot.Chat.Discord.Fakes.Validation;

/// <summary>One reason a request body is refused.</summary>
/// <param name="Pointer">JSON pointer into the body ("" for the body itself).</param>
/// <param name="Code">Discord-style error code such as BASE_TYPE_MAX_LENGTH.</param>
internal sealed record Violation(string Pointer, string Code, string Message)
{
    public override string ToString() => $"{(Pointer.Length == 0 ? "(body)" : Pointer)}: {Code}: {Message}";

    /// <summary>Discord's nested "errors" object of a 50035 Invalid Form Body response.</summary>
    public static JsonObject ToErrorsObject(IEnumerable<Violation> violations)
    {
        var root = new JsonObject();
        foreach (var violation in violations)
        {
            var node = root;
            foreach (var segment in violation.Pointer.Split('/').Skip(1))
            {
                var key = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (node[key] is not JsonObject child)
                {
                    child = [];
                    node[key] = child;
                }

                node = child;
            }

            if (node["_errors"] is not JsonArray errors)
            {
                errors = [];
                node["_errors"] = errors;
            }

            errors.Add(new JsonObject { ["code"] = violation.Code, ["message"] = violation.Message });
        }

        return root;
    }
}
