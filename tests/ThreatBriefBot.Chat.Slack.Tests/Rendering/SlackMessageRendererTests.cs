using System.Text.Json;
using ThreatBriefBot.Chat.Slack.Rendering;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack.Tests.Rendering;

public sealed class SlackMessageRendererTests
{
    [Fact]
    public void RenderDigest_SmallDigest_OneMessageWithHeaderTopicsItemsAndDividers()
    {
        var digest = TestDigests.Of(
            "Morning brief",
            TestDigests.Section("cyberattacks", TestDigests.Item("a", "Port hit by ransomware"), TestDigests.Item("b", "Bank outage")),
            TestDigests.Section("climate", TestDigests.Item("c", "Floods in Osaka")));

        var message = Assert.Single(SlackMessageRenderer.RenderDigest(digest));

        var blocks = message.Blocks!;
        Assert.Equal("header", blocks[0].Type);
        Assert.Equal("plain_text", blocks[0].Text!.Type);
        Assert.Equal("Morning brief", blocks[0].Text!.Text);
        Assert.Contains(blocks, b => b.Type == "section" && b.Text!.Text == "*cyberattacks* · 2 items");
        Assert.Contains(blocks, b => b.Type == "section" && b.Text!.Text.StartsWith("*<https://news.example/a|Port hit by ransomware>*", StringComparison.Ordinal));
        Assert.Single(blocks, b => b.Type == "divider");
        Assert.Contains(blocks, b => b.Type == "context" && b.Elements!.Any(e => e.Text == "Loopback Wire") && b.Elements!.Any(e => e.Text == "JP"));
        Assert.Equal("Morning brief: cyberattacks (2), climate (1)", message.Text);
    }

    [Fact]
    public void RenderDigest_ManyTopics_SplitAtItemBoundariesWithEveryItemOnce()
    {
        var digest = TestDigests.Large(topics: 12, perTopic: 5);

        var messages = SlackMessageRenderer.RenderDigest(digest);

        Assert.True(messages.Count > 1, $"expected a split, got {messages.Count} message(s)");
        var itemTitles = new List<string>();
        foreach (var message in messages)
        {
            var blocks = message.Blocks!;
            Assert.InRange(blocks.Count, 1, SlackMessageRenderer.MaxBlocks);
            Assert.False(string.IsNullOrWhiteSpace(message.Text));
            for (var i = 0; i < blocks.Count; i++)
            {
                if (blocks[i].Type == "section" && blocks[i].Text!.Text.StartsWith("*<", StringComparison.Ordinal))
                {
                    // An item is its section and its context line, never parted.
                    Assert.True(i + 1 < blocks.Count && blocks[i + 1].Type == "context", $"item at block {i} lost its context line");
                    itemTitles.Add(blocks[i].Text!.Text);
                }
            }

            // A message never ends on a topic heading without an item under it.
            Assert.NotEqual("section", blocks[^1].Type);
        }

        Assert.Equal(60, itemTitles.Count);
        Assert.Equal(60, itemTitles.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("header", messages[0].Blocks![0].Type);
        Assert.All(messages.Skip(1), m => Assert.Contains("continued", m.Blocks![0].Elements![0].Text, StringComparison.Ordinal));
        Assert.EndsWith($"(part 1 of {messages.Count})", messages[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderDigest_OverlongTexts_EveryLimitRespectedAndItemsTruncatedNotSplit()
    {
        var huge = string.Join(' ', Enumerable.Repeat("word&<>", 3000));
        var items = Enumerable.Range(1, 8).Select(i => TestDigests.Item(
            $"x{i}",
            huge,
            link: "https://news.example/" + new string('p', 1400),
            summary: huge,
            sources: [.. Enumerable.Range(1, 60).Select(s => $"Source number {s} with a long name & more")],
            countries: [.. Enumerable.Range(1, 80).Select(_ => "JP")])).ToArray();
        var digest = TestDigests.Of(new string('T', 400), TestDigests.Section(new string('c', 300), items), TestDigests.Section("trade", items));

        var messages = SlackMessageRenderer.RenderDigest(digest);

        foreach (var message in messages)
        {
            Assert.InRange(message.Text.Length, 1, SlackMessageRenderer.MaxText);
            Assert.InRange(message.Blocks!.Count, 1, SlackMessageRenderer.MaxBlocks);
            var characters = 0;
            foreach (var block in message.Blocks!)
            {
                switch (block.Type)
                {
                    case "header":
                        Assert.InRange(block.Text!.Text.Length, 1, SlackMessageRenderer.MaxHeaderText);
                        break;
                    case "section":
                        Assert.InRange(block.Text!.Text.Length, 1, SlackMessageRenderer.MaxSectionText);
                        break;
                    case "context":
                        Assert.InRange(block.Elements!.Count, 1, SlackMessageRenderer.MaxContextElements);
                        Assert.All(block.Elements!, e => Assert.InRange(e.Text.Length, 1, SlackMessageRenderer.MaxSectionText));
                        break;
                }

                characters += (block.Text?.Text.Length ?? 0) + (block.Elements?.Sum(e => e.Text.Length) ?? 0);
            }

            Assert.True(characters <= SlackMessageRenderer.MaxBlockCharacters, $"{characters} characters of blocks in one message");
        }

        var itemSections = messages.SelectMany(m => m.Blocks!).Where(b => b.Type == "section" && b.Text!.Text.StartsWith("*<", StringComparison.Ordinal)).ToList();
        Assert.Equal(16, itemSections.Count);
        Assert.All(itemSections, s => Assert.Contains('…', s.Text!.Text));
    }

    [Fact]
    public void RenderDigest_HostileFeedText_EscapedSoNothingMentionsOrLinksElsewhere()
    {
        var item = TestDigests.Item(
            "evil",
            "<!channel> urgent: log in at <http://evil|bank> & <@U0123ABCD>",
            link: "https://bank.example/login",
            summary: "Reset <!here> now <https://evil.example|https://bank.example>",
            sources: ["<!everyone> Wire"],
            countries: ["<#C0123>"]);
        var digest = TestDigests.Of("Brief: <!channel>", TestDigests.Section("cyberattacks", item));

        var message = Assert.Single(SlackMessageRenderer.RenderDigest(digest));

        var section = message.Blocks!.Single(b => b.Type == "section" && b.Text!.Text.StartsWith("*<", StringComparison.Ordinal)).Text!.Text;
        Assert.Equal(
            "*<https://bank.example/login|&lt;!channel&gt; urgent: log in at &lt;http://evil¦bank&gt; &amp; &lt;@U0123ABCD&gt;>*\n" +
            "Reset &lt;!here&gt; now &lt;https://evil.example|https://bank.example&gt;",
            section);

        // The only markup left anywhere is the one link the bot built to the item's own URL.
        var all = string.Join('\n', message.Blocks!.SelectMany(b => new[] { b.Text?.Text }.Concat(b.Elements?.Select(e => e.Text) ?? [])).Append(message.Text));
        Assert.Equal(1, all.Count(c => c == '<'));
        Assert.Equal(1, all.Count(c => c == '>'));
        Assert.DoesNotContain("<!", all, StringComparison.Ordinal);
        Assert.DoesNotContain("<@", all, StringComparison.Ordinal);
        Assert.DoesNotContain("<#", all, StringComparison.Ordinal);
        Assert.Contains("Brief: &lt;!channel&gt;", message.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("mailto:a@b.example")]
    [InlineData("/relative/path")]
    [InlineData("")]
    public void RenderDigest_LinkNotHttp_TitleWithoutLink(string link)
    {
        var digest = TestDigests.Of("d", TestDigests.Section("t", TestDigests.Item("a", "Plain title", link: link.Length == 0 ? " " : link)));

        var section = SlackMessageRenderer.RenderDigest(digest)[0].Blocks!.Single(b => b.Type == "section" && b.Text!.Text.Contains("Plain title", StringComparison.Ordinal));

        Assert.StartsWith("*Plain title*", section.Text!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain('<', section.Text!.Text);
    }

    [Fact]
    public void RenderDigest_UrlWithLinkBreakingCharacters_PercentEncodedInTarget()
    {
        var digest = TestDigests.Of("d", TestDigests.Section("t", TestDigests.Item("a", "Title", link: "https://news.example/a|b>c?x=1&y=<2>")));

        var section = SlackMessageRenderer.RenderDigest(digest)[0].Blocks!.Single(b => b.Type == "section" && b.Text!.Text.Contains("Title", StringComparison.Ordinal));

        Assert.Equal("*<https://news.example/a%7Cb%3Ec?x=1&amp;y=%3C2%3E|Title>*\nA short summary.", section.Text!.Text);
    }

    [Fact]
    public void RenderDigest_EmptyDigest_SaysNothingNew()
    {
        var message = Assert.Single(SlackMessageRenderer.RenderDigest(TestDigests.Of("Quiet day")));

        Assert.Equal("Quiet day: nothing new", message.Text);
        Assert.Contains(message.Blocks!, b => b.Type == "section" && b.Text!.Text == "Nothing new in this window.");
    }

    [Fact]
    public void RenderReply_RefusalWithAdminMentions_KeepsOwnMentionsAndEscapesTheRest()
    {
        var reply = new ChatReply("Sorry, only the bot's admins (<@U0ADMIN001>) can change 'x <!here>'.\nAnyone can use 'brief'.", Ephemeral: true);

        var message = Assert.Single(SlackMessageRenderer.RenderReply(reply, ["<@U0ADMIN001>"]));

        Assert.Null(message.Blocks);
        Assert.Equal("Sorry, only the bot's admins (<@U0ADMIN001>) can change 'x &lt;!here&gt;'.\nAnyone can use 'brief'.", message.Text);
    }

    [Fact]
    public void RenderReply_BriefReply_TitleIsTheHeaderOnly()
    {
        var digest = TestDigests.Of("Brief: Japan", TestDigests.Section("cyberattacks", TestDigests.Item("a", "Port hit")));

        var message = Assert.Single(SlackMessageRenderer.RenderReply(new ChatReply("Brief: Japan", digest)));

        Assert.Equal(["header", "context", "section", "section", "context"], message.Blocks!.Select(b => b.Type));
    }

    [Fact]
    public void RenderText_LongReply_SplitAtLineEndsWithinTheTextLimit()
    {
        var lines = Enumerable.Range(1, 120).Select(i => $"• sub-{i:000}: cyberattacks, trade about Japan, cron '0 0 8 * * ?' UTC & more");

        var messages = SlackMessageRenderer.RenderText(string.Join('\n', lines), []);

        Assert.True(messages.Count > 1);
        Assert.All(messages, m => Assert.InRange(m.Text.Length, 1, SlackMessageRenderer.MaxText));
        var joined = string.Join('\n', messages.Select(m => m.Text));
        Assert.Equal(120, joined.Split('\n').Length);
        Assert.Contains("sub-120", joined, StringComparison.Ordinal);
    }

    [Fact]
    public void PostMessageBody_Serialized_SnakeCaseNoNullsUnfurlOff()
    {
        var message = SlackMessageRenderer.RenderDigest(TestDigests.Of("d", TestDigests.Section("t", TestDigests.Item("a", "A & B"))))[0];

        var json = JsonSerializer.Serialize(message.ToPostMessage("C0123456789", null), SlackJson.Context.PostMessageRequest);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("C0123456789", root.GetProperty("channel").GetString());
        Assert.False(root.GetProperty("unfurl_links").GetBoolean());
        Assert.False(root.GetProperty("unfurl_media").GetBoolean());
        Assert.False(root.TryGetProperty("thread_ts", out _));
        Assert.Equal("header", root.GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.Contains("<https://news.example/a|A &amp; B>", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain words only", 10)]
    [InlineData("&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&", 12)]
    [InlineData("a<b>c&d a<b>c&d a<b>c&d a<b>c&d a<b>c&d", 25)]
    public void EscapeWithin_TextOfEscapes_FitsAndKeepsWhatItCan(string text, int max)
    {
        var escaped = SlackMrkdwn.EscapeWithin(text, max);

        Assert.InRange(escaped.Length, 2, max);
        Assert.DoesNotContain('<', escaped);
    }
}
