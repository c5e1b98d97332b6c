using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ThreatBriefBot.Chat.Discord.Rest;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Chat.Discord.Rendering;

/// <summary>
/// Renders a reply (a digest among them) as Discord message bodies: the reply's text as content, one embed per
/// topic section, split across embeds and messages at item boundaries so every Discord limit holds.
/// </summary>
internal static class DiscordMessageRenderer
{
    public const int MaxContentLength = 2000;
    public const int MaxEmbedTitleLength = 256;
    public const int MaxEmbedDescriptionLength = 4096;
    public const int MaxEmbedFooterLength = 2048;
    public const int MaxEmbedsPerMessage = 10;

    /// <summary>Title, description, field names and values, footer and author over all embeds of a message.</summary>
    public const int MaxEmbedCharactersPerMessage = 6000;

    public const int MaxNonceLength = 25;

    /// <summary>An item's title is cut to this before escaping, so one item can never exceed an embed.</summary>
    public const int MaxItemTitleLength = 200;

    /// <summary>Longer links are left out rather than cut: a cut URL points somewhere else.</summary>
    public const int MaxLinkLength = 512;

    private const int MaxSourcesLength = 120;

    /// <summary>Room kept in the content for " (12/12)".</summary>
    private const int PartMarkerReserve = 10;

    /// <summary>Discord's own palette (blurple, green, yellow, fuchsia, red, …): one per topic, by a stable hash.</summary>
    private static readonly int[] Palette = [0x5865F2, 0x57F287, 0xFEE75C, 0xEB459E, 0xED4245, 0x3498DB, 0xE67E22, 0x1ABC9C, 0x9B59B6, 0x95A5A6];

    public static IReadOnlyList<DiscordMessage> RenderDigest(Digest digest) => RenderReply(new ChatReply(digest.Title, digest));

    /// <summary>The message bodies for a reply, in order: no nonce and no flags (the caller adds what its route takes).</summary>
    public static IReadOnlyList<DiscordMessage> RenderReply(ChatReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var content = DiscordMarkdown.EscapeLines(reply.Text);
        var parts = reply.Digest is { IsEmpty: false } digest ? Pack(digest) : [[]];
        if (parts.Count > 1)
        {
            content = DiscordMarkdown.Fit(content.Split('\n')[0], MaxContentLength - PartMarkerReserve);
        }
        else
        {
            content = DiscordMarkdown.Fit(content, MaxContentLength);
        }

        if (content.Length == 0 && parts[0].Count == 0)
        {
            // Discord refuses an empty message (50006).
            content = "…";
        }

        return [.. parts.Select((embeds, i) => new DiscordMessage
        {
            Content = parts.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"{content} ({i + 1}/{parts.Count})") : content.Length > 0 ? content : null,
            Embeds = embeds.Count > 0 ? embeds : null,
            AllowedMentions = AllowedMentions.None,
        })];
    }

    /// <summary>
    /// A nonce for part <paramref name="part"/> of <paramref name="reply"/> in <paramref name="channelId"/>: the same
    /// reply re-sent (a retry after a timeout) gets the same nonce, which Discord uses with <c>enforce_nonce</c> to
    /// return the message already posted instead of posting it twice.
    /// </summary>
    public static string NonceFor(ChatReply reply, int part, string channelId)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var key = reply.Digest is { } digest
            ? string.Create(CultureInfo.InvariantCulture, $"{digest.Title}|{digest.Since:O}|{digest.Until:O}|{string.Join(',', digest.ItemIds)}")
            : reply.Text;
        return NonceFor(string.Create(CultureInfo.InvariantCulture, $"{channelId}|{part}|{key}"));
    }

    /// <summary>A nonce for a scheduled digest's part: its key hashed to Discord's 25 characters.</summary>
    public static string NonceFor(string partKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(partKey)))[..MaxNonceLength];

    /// <summary>The bodies for POST channels/{id}/messages: each with its nonce, enforced.</summary>
    public static IReadOnlyList<DiscordMessage> ForChannel(ChatReply reply, string channelId) =>
        [.. RenderReply(reply).Select((message, part) => message with { Nonce = NonceFor(reply, part, channelId), EnforceNonce = true })];

    public static int ColorOf(string topic)
    {
        // FNV-1a: string.GetHashCode is randomised per process, and a topic should keep its colour.
        var hash = 2166136261u;
        foreach (var c in topic)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return Palette[hash % (uint)Palette.Length];
    }

    /// <summary>Embed character count as Discord measures it toward the 6000 per message.</summary>
    public static int Size(DiscordEmbed embed) => embed.Title.Length + embed.Description.Length + embed.Footer.Text.Length;

    private static List<List<DiscordEmbed>> Pack(Digest digest)
    {
        var footer = DiscordMarkdown.Fit(
            string.Create(CultureInfo.InvariantCulture, $"{digest.Since.ToUniversalTime():yyyy-MM-dd HH:mm} – {digest.Until.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"),
            MaxEmbedFooterLength);
        var timestamp = digest.Until.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var messages = new List<List<DiscordEmbed>>();
        var current = new List<DiscordEmbed>();
        var currentSize = 0;

        // Every line was checked against the message before it was added, so a closed embed always fits.
        void Close(DiscordEmbed embed)
        {
            current.Add(embed);
            currentSize += Size(embed);
        }

        foreach (var section in digest.Sections)
        {
            var total = section.Items.Count + section.More;
            var title = DiscordMarkdown.Fit(
                string.Create(CultureInfo.InvariantCulture, $"{DiscordMarkdown.Escape(section.Topic)} · {total} item{(total == 1 ? "" : "s")}"),
                MaxEmbedTitleLength - " (continued)".Length);
            var lines = section.Items.Select(RenderItem).ToList();
            if (section.More > 0)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"… and {section.More} more"));
            }

            var embedTitle = title;
            var description = new StringBuilder();
            foreach (var line in lines)
            {
                var open = description.Length > 0;
                var openSize = embedTitle.Length + description.Length + footer.Length;
                if (open && (description.Length + 1 + line.Length > MaxEmbedDescriptionLength
                    || currentSize + openSize + 1 + line.Length > MaxEmbedCharactersPerMessage))
                {
                    Close(new DiscordEmbed(embedTitle, description.ToString(), ColorOf(section.Topic), new EmbedFooter(footer), timestamp));
                    description.Clear();
                    embedTitle = title + " (continued)";
                }

                if (description.Length == 0 && (current.Count == MaxEmbedsPerMessage
                    || currentSize + embedTitle.Length + footer.Length + line.Length > MaxEmbedCharactersPerMessage))
                {
                    messages.Add(current);
                    current = [];
                    currentSize = 0;
                }

                description.Append(description.Length > 0 ? "\n" : "").Append(line);
            }

            if (description.Length > 0)
            {
                Close(new DiscordEmbed(embedTitle, description.ToString(), ColorOf(section.Topic), new EmbedFooter(footer), timestamp));
            }
        }

        if (current.Count > 0)
        {
            messages.Add(current);
        }

        return messages.Count > 0 ? messages : [[]];
    }

    /// <summary>"[title](&lt;url&gt;) — sources · &lt;t:…:R&gt; · JP, CN": the only link is the one built here.</summary>
    private static string RenderItem(DigestEntry entry)
    {
        var item = entry.Item;
        var title = DiscordMarkdown.Escape(ChatText.Truncate(ChatText.Clean(item.Title), MaxItemTitleLength));
        if (title.Length == 0)
        {
            title = "(untitled)";
        }

        var line = new StringBuilder();
        line.Append(DiscordMarkdown.LinkTarget(item.Link, MaxLinkLength) is { } url ? $"[{title}](<{url}>)" : title);
        var sources = DiscordMarkdown.Escape(ChatText.Truncate(ChatText.Clean(string.Join(", ", item.Sources)), MaxSourcesLength));
        if (sources.Length > 0)
        {
            line.Append(" — ").Append(sources);
        }

        // Discord shows <t:unix:R> as "3 hours ago" in the reader's own locale and clock.
        line.Append(CultureInfo.InvariantCulture, $" · <t:{(item.Published ?? item.SeenAt).ToUnixTimeSeconds()}:R>");
        if (item.Classification.Countries.Count > 0)
        {
            line.Append(" · ").Append(DiscordMarkdown.Escape(string.Join(", ", item.Classification.Countries.Take(5))));
        }

        return line.ToString();
    }
}
