using ThreatBriefBot.Core.Items;

namespace ThreatBriefBot.Feeds;

/// <summary>Turns parsed entries into the plain-text items that are classified, stored and posted to chat.</summary>
public static class FeedItemMapper
{
    private const int MaxSummaryChars = 600;
    private const int TitleFromSummaryChars = 80;

    public static IReadOnlyList<IncomingItem> ToIncomingItems(string feedName, ParsedFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var items = new List<IncomingItem>(feed.Entries.Count);
        foreach (var entry in feed.Entries)
        {
            var title = FeedHtml.CollapseWhitespace(entry.Title ?? "");
            var summary = FeedHtml.ToPlainText(entry.Summary ?? "");
            if (summary.Length == 0)
            {
                summary = FeedHtml.ToPlainText(entry.Content ?? "");
            }

            var link = SafeLink(entry.Link);
            if (title.Length == 0 && summary.Length == 0 && link is null)
            {
                continue;
            }

            if (title.Length == 0)
            {
                title = summary.Length > 0 ? Shorten(summary, TitleFromSummaryChars) : link!;
            }

            items.Add(new IncomingItem(
                feedName,
                ItemIdentity.EntryKey(entry.Id, link, title, summary),
                title,
                link,
                Shorten(summary, MaxSummaryChars),
                entry.Date));
        }

        return items;
    }

    private static string? SafeLink(string? link) =>
        !string.IsNullOrWhiteSpace(link) && Uri.TryCreate(link.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? link.Trim()
            : null;

    /// <summary>Cuts at the last word boundary before the limit and marks the cut with an ellipsis.</summary>
    private static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', max - 1);
        return text[..(cut > max / 2 ? cut : max - 1)].TrimEnd() + "…";
    }
}
