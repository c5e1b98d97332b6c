using System.Text.RegularExpressions;
using ThreatBriefBot.Chat.Discord.Rendering;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Discord.Tests.Rendering;

public sealed partial class DiscordMessageRendererTests
{
    [Fact]
    public void RenderDigest_SmallDigest_OneMessageWithOneEmbedPerSection()
    {
        var digest = TestDigests.Of(
            ("cyberattacks", [TestDigests.Item("a", "Ransomware hits port", null, "JP")], 3),
            ("trade", [TestDigests.Item("b", "Tariffs rise")], 0));

        var message = Assert.Single(DiscordMessageRenderer.RenderDigest(digest));

        Assert.Equal("Digest sub-test", message.Content);
        Assert.Equal(["cyberattacks · 4 items", "trade · 1 item"], message.Embeds!.Select(e => e.Title));
        Assert.Equal(
            "[Ransomware hits port](<https://news.example/a>) — Asia Security Wire, Global Briefing · <t:" +
            TestDigests.Until.AddHours(-2).ToUnixTimeSeconds() + ":R> · JP\n… and 3 more",
            message.Embeds![0].Description);
        Assert.Equal("2026-11-25 08:00 – 2026-11-26 08:00 UTC", message.Embeds[0].Footer.Text);
        Assert.Empty(message.AllowedMentions.Parse);
        Assert.NotEqual(0, message.Embeds[0].Color);
    }

    [Fact]
    public void RenderDigest_LargeDigest_SplitAcrossMessagesWithinEveryLimit()
    {
        var digest = TestDigests.Large(topics: 14, perTopic: 20);

        var messages = DiscordMessageRenderer.RenderDigest(digest);

        Assert.True(messages.Count > 2, $"expected several messages, got {messages.Count}");
        foreach (var message in messages)
        {
            Assert.InRange(message.Content!.Length, 1, DiscordMessageRenderer.MaxContentLength);
            Assert.InRange(message.Embeds!.Count, 1, DiscordMessageRenderer.MaxEmbedsPerMessage);
            Assert.InRange(message.Embeds.Sum(DiscordMessageRenderer.Size), 1, DiscordMessageRenderer.MaxEmbedCharactersPerMessage);
            Assert.All(message.Embeds, e =>
            {
                Assert.InRange(e.Title.Length, 1, DiscordMessageRenderer.MaxEmbedTitleLength);
                Assert.InRange(e.Description.Length, 1, DiscordMessageRenderer.MaxEmbedDescriptionLength);
                Assert.InRange(e.Footer.Text.Length, 1, DiscordMessageRenderer.MaxEmbedFooterLength);
            });
        }

        Assert.Equal(Enumerable.Range(1, messages.Count).Select(i => $"Digest sub-test ({i}/{messages.Count})"), messages.Select(m => m.Content));
    }

    [Fact]
    public void RenderDigest_LargeDigest_EveryItemOnceWholeAndInOrder()
    {
        var digest = TestDigests.Large(topics: 6, perTopic: 40);

        var lines = DiscordMessageRenderer.RenderDigest(digest)
            .SelectMany(m => m.Embeds!)
            .SelectMany(e => e.Description.Split('\n'))
            .ToList();

        // Split only between items: every line is one whole item, link, sources, time and countries.
        Assert.Equal(digest.ItemIds.Select(id => $"https://news.example/{id}"), lines.Select(l => LinkOf().Match(l).Groups[1].Value));
        Assert.All(lines, l => Assert.Matches(@"^\[Item .*\]\(<https://news\.example/[^>]+>\) — Asia Security Wire, Global Briefing · <t:\d+:R> · JP, US$", l));
    }

    [Fact]
    public void RenderDigest_SectionLongerThanOneEmbed_ContinuesUnderTheSameTopic()
    {
        var digest = TestDigests.Large(topics: 1, perTopic: 40);

        var embeds = DiscordMessageRenderer.RenderDigest(digest).SelectMany(m => m.Embeds!).ToList();

        Assert.True(embeds.Count > 1);
        Assert.Equal("topic0 · 40 items", embeds[0].Title);
        Assert.All(embeds.Skip(1), e => Assert.Equal("topic0 · 40 items (continued)", e.Title));
        Assert.All(embeds, e => Assert.Equal(embeds[0].Color, e.Color));
    }

    [Fact]
    public void RenderDigest_ItemTitleLongerThanAnyLimit_TruncatedNotSplit()
    {
        var digest = TestDigests.Of(("trade", [TestDigests.Item("huge", "Word " + string.Concat(Enumerable.Repeat("lorem ipsum ", 2000)))], 0));

        var embed = Assert.Single(Assert.Single(DiscordMessageRenderer.RenderDigest(digest)).Embeds!);

        var title = TitleOf().Match(embed.Description).Groups[1].Value;
        Assert.InRange(title.Length, 1, DiscordMessageRenderer.MaxItemTitleLength);
        Assert.EndsWith("…", title, StringComparison.Ordinal);
        Assert.Single(embed.Description.Split('\n'));
    }

    [Fact]
    public void RenderDigest_FeedTitleWithEveryoneAndFakeLink_RenderedHarmless()
    {
        var digest = TestDigests.Of(("cyberattacks",
            [TestDigests.Item("evil", "@everyone @here <@123> <@&456> <#789> [fake](http://evil) **bold** `code` ||spoiler|| ~~x~~ _i_")],
            0));

        var description = Assert.Single(Assert.Single(DiscordMessageRenderer.RenderDigest(digest)).Embeds!).Description;

        Assert.DoesNotContain("@everyone", description, StringComparison.Ordinal);
        Assert.DoesNotContain("@here", description, StringComparison.Ordinal);
        Assert.Contains("@\u200Beveryone", description, StringComparison.Ordinal);
        Assert.Contains("\\<@\u200B123\\>", description, StringComparison.Ordinal);
        Assert.Contains("\\[fake\\]\\(http://evil\\)", description, StringComparison.Ordinal);
        Assert.Contains("\\*\\*bold\\*\\* \\`code\\` \\|\\|spoiler\\|\\| \\~\\~x\\~\\~ \\_i\\_", description, StringComparison.Ordinal);

        // The one link in the line is the one the renderer built, to the item's own URL.
        Assert.Single(UnescapedLinkOpen().Matches(description));
        Assert.Equal("https://news.example/evil", LinkOf().Match(description).Groups[1].Value);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("discord://-/channels/1/2")]
    [InlineData("/relative/path")]
    [InlineData("https://user:pass@news.example/x")]
    public void RenderDigest_LinkNotPlainHttp_TitleWithoutLink(string link)
    {
        var digest = TestDigests.Of(("trade", [TestDigests.Item("x", "Tariffs", link)], 0));

        var description = Assert.Single(Assert.Single(DiscordMessageRenderer.RenderDigest(digest)).Embeds!).Description;

        Assert.StartsWith("Tariffs — ", description, StringComparison.Ordinal);
        Assert.DoesNotContain("](", description, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderDigest_LinkWithParenthesesAndAngles_CannotCloseTheMarkup()
    {
        var digest = TestDigests.Of(("trade", [TestDigests.Item("x", "Tariffs", "https://news.example/a_(b)>c")], 0));

        var description = Assert.Single(Assert.Single(DiscordMessageRenderer.RenderDigest(digest)).Embeds!).Description;

        Assert.StartsWith("[Tariffs](<https://news.example/a_%28b%29%3Ec>) — ", description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("# Heading", "\\# Heading")]
    [InlineData("- list", "\\- list")]
    [InlineData("> quote", "\\> quote")]
    [InlineData("1. First", "1\\. First")]
    [InlineData("Plain - text 2.0", "Plain - text 2.0")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("zero\u200Bwidth\u202Ebidi", "zerowidthbidi")]
    public void Escape_BlockMarkersAndHiddenCharacters_Neutralised(string text, string expected) =>
        Assert.Equal(expected, DiscordMarkdown.Escape(text));

    [Fact]
    public void Fit_CutAfterBackslash_NoDanglingEscape()
    {
        var fitted = DiscordMarkdown.Fit(DiscordMarkdown.Escape("abcd****"), 7);

        Assert.Equal("abcd\\*…", fitted);
    }

    [Fact]
    public void RenderReply_MultiLineText_LinesKeptAndEscaped()
    {
        var message = Assert.Single(DiscordMessageRenderer.RenderReply(new ChatReply("Subscriptions for this channel:\n• sub-1: trade @everyone")));

        Assert.Equal("Subscriptions for this channel:\n• sub-1: trade @\u200Beveryone", message.Content);
        Assert.Null(message.Embeds);
        Assert.Null(message.Nonce);
    }

    [Fact]
    public void RenderReply_TextLongerThanContentLimit_Truncated()
    {
        var message = Assert.Single(DiscordMessageRenderer.RenderReply(new ChatReply(string.Concat(Enumerable.Repeat("word ", 1000)))));

        Assert.InRange(message.Content!.Length, 1, DiscordMessageRenderer.MaxContentLength);
    }

    [Fact]
    public void ForChannel_SameReplyAgain_SameNoncesEnforced()
    {
        var digest = TestDigests.Large(topics: 14, perTopic: 20);
        var reply = new ChatReply(digest.Title, digest);

        var first = DiscordMessageRenderer.ForChannel(reply, "123");
        var again = DiscordMessageRenderer.ForChannel(reply, "123");
        var elsewhere = DiscordMessageRenderer.ForChannel(reply, "456");

        Assert.Equal(first.Select(m => m.Nonce), again.Select(m => m.Nonce));
        Assert.All(first, m => Assert.True(m.EnforceNonce));
        Assert.All(first, m => Assert.Equal(DiscordMessageRenderer.MaxNonceLength, m.Nonce!.Length));
        Assert.Equal(first.Count, first.Select(m => m.Nonce).Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(first.Select(m => m.Nonce).Intersect(elsewhere.Select(m => m.Nonce), StringComparer.Ordinal));
    }

    [Fact]
    public void NonceFor_DifferentWindow_DifferentNonce()
    {
        var digest = TestDigests.Of(("trade", [TestDigests.Item("b", "Tariffs rise")], 0));
        var later = digest with { Since = digest.Until, Until = digest.Until.AddDays(1) };

        Assert.NotEqual(
            DiscordMessageRenderer.NonceFor(new ChatReply(digest.Title, digest), 0, "1"),
            DiscordMessageRenderer.NonceFor(new ChatReply(later.Title, later), 0, "1"));
    }

    [Fact]
    public void ColorOf_Topic_SameColourInEveryProcess() =>
        Assert.Equal(0xEB459E, DiscordMessageRenderer.ColorOf("cyberattacks"));

    [GeneratedRegex(@"\]\(<([^>]+)>\)")]
    private static partial Regex LinkOf();

    [GeneratedRegex(@"^\[(.*)\]\(<")]
    private static partial Regex TitleOf();

    /// <summary>"](" not preceded by a backslash: where a masked link's target starts.</summary>
    [GeneratedRegex(@"(?<!\\)\]\(")]
    private static partial Regex UnescapedLinkOpen();
}
