using System.Text.Json;
using System.Text.Json.Serialization;

namespace ThreatBriefBot.Storage;

/// <summary>The JSON stored in text columns: lists of strings (evidence, topics, countries, item ids).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext
{
    public static string Serialize(IReadOnlyList<string> values) =>
        JsonSerializer.Serialize(values, Default.IReadOnlyListString);

    public static IReadOnlyList<string> Deserialize(string json) =>
        JsonSerializer.Deserialize(json, Default.IReadOnlyListString) ?? [];
}
