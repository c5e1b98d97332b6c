using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Cli;

/// <summary>One line of <c>classify</c>: an item in, its classification (or what was wrong with the line) out.</summary>
internal sealed record ClassifyLine(string? Id, ItemClassification? Classification, string? Error)
{
    /// <summary>Classifies one line of UTF-8 input without decoding it to a string first.</summary>
    public static ClassifyLine Run(IItemClassifier classifier, ReadOnlyMemory<byte> utf8Line)
    {
        // The string path decodes invalid UTF-8 to U+FFFD as a text reader would, and words the error;
        // bad lines are rare, so decoding them twice costs nothing that matters.
        if (!Utf8.IsValid(utf8Line.Span))
        {
            return Run(classifier, Encoding.UTF8.GetString(utf8Line.Span));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Line);
        }
        catch (JsonException)
        {
            return Run(classifier, Encoding.UTF8.GetString(utf8Line.Span));
        }

        using (document)
        {
            return Run(classifier, document.RootElement);
        }
    }

    private static ClassifyLine Run(IItemClassifier classifier, string line)
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
            return Run(classifier, document.RootElement);
        }
    }

    private static ClassifyLine Run(IItemClassifier classifier, JsonElement root)
    {
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

    /// <summary>Writes the line's JSON (without a line break) through the source-generated serializer.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        if (Error is null)
        {
            JsonSerializer.Serialize(writer, ClassifyJson.From(Id!, Classification!), CliJsonContext.Default.ClassifyJson);
        }
        else
        {
            JsonSerializer.Serialize(writer, new ClassifyErrorJson(Id, Error), CliJsonContext.Default.ClassifyErrorJson);
        }
    }

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
