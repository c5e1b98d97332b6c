using System.Globalization;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Chat.Slack.Rendering;

/// <summary>One message: the plain fallback text Slack shows in notifications, and the blocks (none for plain replies).</summary>
internal sealed record SlackMessage(string Text, IReadOnlyList<SlackBlock>? Blocks)
{
    public PostMessageRequest ToPostMessage(string channel, string? threadTs) => new(channel, Text, Blocks, threadTs);

    public SlashCommandResponse ToResponse(string responseType) => new(responseType, Text, Blocks);

    public WebhookMessage ToWebhookMessage() => new(Text, Blocks);
}

/// <summary>
/// Renders digests and replies as Block Kit messages within every Slack limit, splitting a large digest into
/// several messages at item boundaries. Feed text is cleaned and escaped before any markup is built around it.
/// </summary>
internal static class SlackMessageRenderer
{
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3000;
    public const int MaxHeaderText = 150;
    public const int MaxContextElements = 10;

    /// <summary>Slack's recommended ceiling for a message's <c>text</c> (it truncates only at 40,000).</summary>
    public const int MaxText = 4000;

    /// <summary>
    /// All block text of one message together. Slack has answered msg_blocks_too_long near 13,000 characters,
    /// well below 50 full sections (observed, bolt-js#2509), so a message stays under this.
    /// </summary>
    public const int MaxBlockCharacters = 12_000;

    private const int MaxTitle = 600;
    private const int SummaryLength = 280;
    private const int MaxUrl = 1500;
    private const int MaxSources = 300;
    private const int MaxCountries = 100;
    private const int MaxTopic = 100;
    private const int MaxTopicsInText = 20;

    private static readonly IReadOnlyCollection<string> NoMarkup = [];

    /// <param name="ownMarkup">Markup the bot itself put in the reply's text (admin mentions), kept; all else is escaped.</param>
    public static IReadOnlyList<SlackMessage> RenderReply(ChatReply reply, IReadOnlyCollection<string>? ownMarkup = null)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Digest is null)
        {
            return RenderText(reply.Text, ownMarkup ?? NoMarkup);
        }

        // A brief's reply text is its digest's title, already the header; other text goes above the digest.
        var intro = string.Equals(ChatText.Clean(reply.Text), ChatText.Clean(reply.Digest.Title), StringComparison.Ordinal)
            ? null
            : EscapeLines(reply.Text, ownMarkup ?? NoMarkup, MaxSectionText);
        return RenderDigest(reply.Digest, intro);
    }

    /// <param name="intro">Escaped mrkdwn shown under the header, or null.</param>
    public static IReadOnlyList<SlackMessage> RenderDigest(Digest digest, string? intro = null)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var title = SlackMrkdwn.EscapeWithin(digest.Title, MaxHeaderText);
        if (title.Length == 0)
        {
            title = "Digest";
        }

        var packer = new Packer(title);
        List<SlackBlock> opening = [SlackBlock.Header(title)];
        if (!string.IsNullOrWhiteSpace(intro))
        {
            opening.Add(SlackBlock.Section(intro));
        }

        opening.Add(SlackBlock.Context([WindowLine(digest)]));
        packer.Add(opening);
        if (digest.IsEmpty)
        {
            packer.Add([SlackBlock.Section("Nothing new in this window.")]);
        }

        for (var index = 0; index < digest.Sections.Count; index++)
        {
            var section = digest.Sections[index];
            var topic = SlackMrkdwn.EscapeWithin(section.Topic, MaxTopic);
            List<SlackBlock> lead = index == 0 ? [] : [SlackBlock.Divider];
            lead.Add(SlackBlock.Section(TopicHeading(section, topic)));

            // A topic heading never ends a message alone: it moves on with its first item.
            var items = section.Items.Select(ItemBlocks).ToList();
            if (!packer.Fits([.. lead, .. items.FirstOrDefault() ?? []]))
            {
                packer.Continue();
            }

            packer.Add(lead, topic);
            foreach (var blocks in items)
            {
                if (!packer.Fits(blocks))
                {
                    packer.Continue();
                    packer.Add([SlackBlock.Section($"*{topic}*, continued")], topic);
                }

                packer.Add(blocks);
            }
        }

        return packer.Finish(FirstText(title, digest));
    }

    /// <summary>A plain reply: its lines escaped (keeping <paramref name="ownMarkup"/>), split into messages at line ends when long.</summary>
    public static IReadOnlyList<SlackMessage> RenderText(string text, IReadOnlyCollection<string> ownMarkup)
    {
        ArgumentNullException.ThrowIfNull(text);
        var messages = new List<SlackMessage>();
        var current = "";
        foreach (var line in text.Split('\n').Select(ChatText.Clean))
        {
            var escaped = SlackMrkdwn.EscapeKeeping(line, ownMarkup);
            if (escaped.Length > MaxText)
            {
                escaped = SlackMrkdwn.EscapeWithin(line, MaxText);
            }

            if (current.Length > 0 && current.Length + 1 + escaped.Length > MaxText)
            {
                messages.Add(new SlackMessage(current, null));
                current = "";
            }

            current = current.Length == 0 ? escaped : current + "\n" + escaped;
        }

        if (current.Trim().Length > 0 || messages.Count == 0)
        {
            messages.Add(new SlackMessage(current.Trim().Length > 0 ? current : "(empty reply)", null));
        }

        return messages;
    }

    private static string EscapeLines(string text, IReadOnlyCollection<string> ownMarkup, int maxLength)
    {
        var escaped = string.Join('\n', text.Split('\n').Select(line => SlackMrkdwn.EscapeKeeping(ChatText.Clean(line), ownMarkup))).Trim();
        return escaped.Length <= maxLength ? escaped : SlackMrkdwn.EscapeWithin(text, maxLength);
    }

    private static string WindowLine(Digest digest)
    {
        var count = digest.ItemIds.Count > 0 ? digest.ItemIds.Count : digest.Sections.Sum(s => s.Items.Count + s.More);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{count} item{(count == 1 ? "" : "s")} · {digest.Since.ToUniversalTime():yyyy-MM-dd HH:mm} to {digest.Until.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
    }

    private static string TopicHeading(DigestSection section, string topic)
    {
        var total = section.Items.Count + section.More;
        var shown = section.More > 0 ? $", {section.Items.Count} shown" : "";
        return string.Create(CultureInfo.InvariantCulture, $"*{topic}* · {total} item{(total == 1 ? "" : "s")}{shown}");
    }

    /// <summary>An item: its linked title and summary, then a context line with its sources, countries and time.</summary>
    private static List<SlackBlock> ItemBlocks(DigestEntry entry)
    {
        var item = entry.Item;
        var title = SlackMrkdwn.EscapeWithin(item.Title, MaxTitle);
        var text = "*" + SlackMrkdwn.Link(item.Link, title.Length == 0 ? "(untitled)" : title, MaxUrl) + "*";
        var summary = SlackMrkdwn.EscapeWithin(item.Summary, SummaryLength);
        if (summary.Length > 0)
        {
            text += "\n" + summary;
        }

        var facts = new List<string>(3);
        var sources = SlackMrkdwn.EscapeWithin(string.Join(", ", item.Sources.Select(ChatText.Clean)), MaxSources);
        if (sources.Length > 0)
        {
            facts.Add(sources);
        }

        var countries = SlackMrkdwn.EscapeWithin(string.Join(' ', item.Classification.Countries), MaxCountries);
        if (countries.Length > 0)
        {
            facts.Add(countries);
        }

        facts.Add((item.Published ?? item.SeenAt).ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        return [SlackBlock.Section(text), SlackBlock.Context(facts.Take(MaxContextElements))];
    }

    private static string FirstText(string title, Digest digest)
    {
        if (digest.IsEmpty)
        {
            return $"{title}: nothing new";
        }

        var topics = digest.Sections.Take(MaxTopicsInText).Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{SlackMrkdwn.EscapeWithin(s.Topic, MaxTopic)} ({s.Items.Count + s.More})"));
        return $"{title}: {string.Join(", ", topics)}";
    }

    private static int Characters(IEnumerable<SlackBlock> blocks) =>
        blocks.Sum(b => (b.Text?.Text.Length ?? 0) + (b.Elements?.Sum(e => e.Text.Length) ?? 0));

    /// <summary>Fills messages block by block; a new message starts with a line saying whose continuation it is.</summary>
    private sealed class Packer(string title)
    {
        private readonly List<(List<SlackBlock> Blocks, List<string> Topics)> _messages = [([], [])];

        private List<SlackBlock> Current => _messages[^1].Blocks;

        public bool Fits(List<SlackBlock> blocks) =>
            Current.Count + blocks.Count <= MaxBlocks && Characters(Current) + Characters(blocks) <= MaxBlockCharacters;

        public void Add(List<SlackBlock> blocks, string? topic = null)
        {
            Current.AddRange(blocks);
            if (topic is not null && !_messages[^1].Topics.Contains(topic, StringComparer.Ordinal))
            {
                _messages[^1].Topics.Add(topic);
            }
        }

        public void Continue()
        {
            _messages.Add(([], []));
            Current.Add(SlackBlock.Context([$"*{title}*, continued"]));
        }

        public IReadOnlyList<SlackMessage> Finish(string firstText)
        {
            var count = _messages.Count;
            return [.. _messages.Select((message, index) =>
            {
                var part = count == 1 ? "" : $" (part {index + 1} of {count})";
                var text = index == 0
                    ? firstText + part
                    : $"{title}{part}: {string.Join(", ", message.Topics.Take(MaxTopicsInText))}";
                return new SlackMessage(text, message.Blocks);
            })];
        }
    }
}
