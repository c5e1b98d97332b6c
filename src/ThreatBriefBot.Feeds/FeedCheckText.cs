using System.Globalization;
using System.Text;

namespace ThreatBriefBot.Feeds;

/// <summary>Renders a check result for people: what the feed is, whether it needed recovery, and its first entries.</summary>
public static class FeedCheckText
{
    private const int ShownEntries = 5;

    public static string Render(FeedCheckResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{result.Source}\n");
        if (result.Feed is not { } feed)
        {
            text.Append(CultureInfo.InvariantCulture, $"  FAILED: {result.Error}\n");
            return text.ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"  title:    {feed.Title ?? "(none)"}\n");
        text.Append(CultureInfo.InvariantCulture, $"  format:   {feed.Format}, encoding {feed.Encoding}\n");
        text.Append(feed.Bozo ? $"  bozo:     yes ({feed.BozoReason})\n" : "  bozo:     no\n");
        text.Append(CultureInfo.InvariantCulture, $"  entries:  {feed.Entries.Count}\n");
        foreach (var entry in feed.Entries.Take(ShownEntries))
        {
            var date = entry.Date is { } d ? FeedDates.Format(d) : "(no date)           ";
            text.Append(CultureInfo.InvariantCulture, $"    {date}  {entry.Title ?? entry.Link ?? entry.Id ?? "(untitled)"}\n");
        }

        if (feed.Entries.Count > ShownEntries)
        {
            text.Append(CultureInfo.InvariantCulture, $"    … and {feed.Entries.Count - ShownEntries} more\n");
        }

        return text.ToString();
    }
}
