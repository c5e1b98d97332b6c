using ThreatBriefBot.Core.Chat;
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
            // Cleaned once here for every chat platform: no control, bidi-override or zero-width characters.
            var title = ChatText.Clean(entry.Title);
            var summary = ChatText.Clean(FeedHtml.ToPlainText(entry.Summary ?? ""));
            if (summary.Length == 0)
            {
                summary = ChatText.Clean(FeedHtml.ToPlainText(entry.Content ?? ""));
            }

            var link = SafeLink(entry.Link);
            if (title.Length == 0 && summary.Length == 0 && link is null)
            {
                continue;
            }

            if (title.Length == 0)
            {
                title = summary.Length > 0 ? ChatText.Truncate(summary, TitleFromSummaryChars) : link!;
            }

            items.Add(new IncomingItem(
                feedName,
                ItemIdentity.EntryKey(entry.Id, link, title, summary),
                title,
                link,
                ChatText.Truncate(summary, MaxSummaryChars),
                entry.Date));
        }

        return items;
    }

    private static string? SafeLink(string? link) =>
        !string.IsNullOrWhiteSpace(link) && Uri.TryCreate(link.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? link.Trim()
            : null;
}
