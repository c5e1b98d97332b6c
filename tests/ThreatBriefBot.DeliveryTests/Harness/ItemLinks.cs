using System.Text.Json;
using System.Text.RegularExpressions;

namespace ThreatBriefBot.DeliveryTests.Harness;

/// <summary>Finds the test's item links in a message body, wherever the renderer put them (content, embeds, blocks, text).</summary>
internal static partial class ItemLinks
{
    /// <summary>The distinct item links anywhere in <paramref name="body"/>'s string values: one message showing an item twice shows it once.</summary>
    public static IReadOnlySet<string> In(JsonElement body)
    {
        var links = new HashSet<string>(StringComparer.Ordinal);
        Collect(body, links);
        return links;
    }

    private static void Collect(JsonElement element, HashSet<string> links)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                foreach (Match match in Link().Matches(element.GetString()!))
                {
                    links.Add(match.Value);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, links);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, links);
                }

                break;
        }
    }

    [GeneratedRegex(@"https://news\.example/[0-9a-z]+/[0-9a-z-]+/[0-9]+(?![0-9])")]
    private static partial Regex Link();
}
