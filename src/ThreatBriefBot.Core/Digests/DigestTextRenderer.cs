using System.Globalization;
using System.Text;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Core.Digests;

/// <summary>Renders a digest as plain text for a terminal: the console channel and the CLI's text output.</summary>
public static class DigestTextRenderer
{
    private const int SummaryLength = 220;

    public static string Render(Digest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"== {ChatText.Clean(digest.Title)} · {digest.Since:yyyy-MM-dd HH:mm} to {digest.Until:yyyy-MM-dd HH:mm} UTC ==").AppendLine();
        if (digest.IsEmpty)
        {
            return text.AppendLine("(nothing new)").ToString();
        }

        foreach (var section in digest.Sections)
        {
            var total = section.Items.Count + section.More;
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"[{section.Topic}] {total} item{(total == 1 ? "" : "s")}").AppendLine();
            var number = 0;
            foreach (var entry in section.Items)
            {
                var item = entry.Item;
                text.Append(CultureInfo.InvariantCulture, $"{++number,2}. {ChatText.Clean(item.Title)}").AppendLine();
                var facts = new List<string>();
                if (item.Classification.Countries.Count > 0)
                {
                    facts.Add(string.Join(' ', item.Classification.Countries));
                }

                facts.Add(string.Join(", ", item.Sources.Select(ChatText.Clean)));
                facts.Add((item.Published ?? item.SeenAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                facts.Add($"score {entry.Score.ToString("0.00", CultureInfo.InvariantCulture)}");
                var evidence = item.Classification.Topics.FirstOrDefault(t => t.Topic == section.Topic)?.Evidence;
                if (evidence is { Count: > 0 })
                {
                    facts.Add("matched: " + string.Join(", ", evidence.Take(3).Select(ChatText.Clean)));
                }

                text.Append("    ").AppendJoin(" · ", facts).AppendLine();
                if (item.Link is not null)
                {
                    text.Append("    ").AppendLine(ChatText.Clean(item.Link));
                }

                var summary = ChatText.Clean(item.Summary);
                if (summary.Length > 0)
                {
                    text.Append("    ").AppendLine(ChatText.Truncate(summary, SummaryLength));
                }
            }

            if (section.More > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"    … and {section.More} more").AppendLine();
            }
        }

        return text.ToString();
    }
}
