using System.Text.Json;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack.Tests;

public sealed class SlackRequestPreviewerTests
{
    [Fact]
    public void PreviewReply_LargeDigest_OnePostMessageBodyPerPartLaterPartsThreaded()
    {
        var previews = new SlackRequestPreviewer().PreviewReply(null, new ChatReply("Digest large", TestDigests.Large(12, 5)));

        Assert.True(previews.Count > 1);
        Assert.All(previews, p => Assert.Equal(("POST", "chat.postMessage"), (p.Method, p.Path)));
        var bodies = previews.Select(p => JsonDocument.Parse(p.Body).RootElement).ToList();
        Assert.All(bodies, b => Assert.Equal(SlackRequestPreviewer.PlaceholderChannel, b.GetProperty("channel").GetString()));
        Assert.False(bodies[0].TryGetProperty("thread_ts", out _));
        Assert.All(bodies.Skip(1), b => Assert.Equal(SlackRequestPreviewer.PlaceholderThreadTs, b.GetProperty("thread_ts").GetString()));
        Assert.All(bodies, b => Assert.False(string.IsNullOrEmpty(b.GetProperty("text").GetString())));
    }

    [Fact]
    public void PreviewReply_ChannelGiven_AddressedThere()
    {
        var preview = Assert.Single(new SlackRequestPreviewer().PreviewReply("C0123456789", new ChatReply("No items for japan.")));

        Assert.Equal("""{"channel":"C0123456789","text":"No items for japan.","unfurl_links":false,"unfurl_media":false}""", preview.Body);
    }
}
