using System.Globalization;
using System.Text.Json;
using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Cli;

/// <summary>One line of <c>classify</c>: an item in, its classification (or what was wrong with the line) out.</summary>
internal sealed record ClassifyLine(string? Id, ItemClassification? Classification, string? Error)
{
    public static ClassifyLine Run(IItemClassifier classifier, string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return new ClassifyLine(null, null, $"not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ClassifyLine(null, null, "not a JSON object");
            }

            var id = root.TryGetProperty("id", out var idElement) ? idElement.ValueKind switch
            {
                JsonValueKind.String => idElement.GetString(),
                JsonValueKind.Number => idElement.GetRawText(),
                _ => null,
            } : null;
            if (string.IsNullOrEmpty(id))
            {
                return new ClassifyLine(null, null, "missing 'id'");
            }

            return new ClassifyLine(id, classifier.Classify(Text(root, "title"), Text(root, "text")), null);
        }
    }

    public string ToJson() => Error is null
        ? JsonSerializer.Serialize(ClassifyJson.From(Id!, Classification!), CliJsonContext.Default.ClassifyJson)
        : JsonSerializer.Serialize(new ClassifyErrorJson(Id, Error), CliJsonContext.Default.ClassifyErrorJson);

    public string ToText()
    {
        if (Error is not null)
        {
            return $"{Id ?? "?"}: error: {Error}";
        }

        var topics = Classification!.Topics.Count == 0
            ? "no topic"
            : string.Join("; ", Classification.Topics.Select(t => $"{t.Topic} {t.Score.ToString("0.00", CultureInfo.InvariantCulture)} ({string.Join(", ", t.Evidence.Take(4))})"));
        var countries = Classification.Countries.Count == 0 ? "no country" : string.Join(' ', Classification.Countries);
        return $"{Id}: {topics} | {countries}";
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
