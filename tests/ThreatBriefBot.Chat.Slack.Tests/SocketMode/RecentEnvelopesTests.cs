using ThreatBriefBot.Chat.Slack.SocketMode;

namespace ThreatBriefBot.Chat.Slack.Tests.SocketMode;

public sealed class RecentEnvelopesTests
{
    [Fact]
    public void GetOrAdd_SameEnvelopeTwice_CreatedOnceAndSecondIsNotNew()
    {
        var recent = new RecentEnvelopes<object>(capacity: 10);
        var created = 0;

        var first = recent.GetOrAdd("e1", () => new object[] { ++created });
        var second = recent.GetOrAdd("e1", () => new object[] { ++created });

        Assert.True(first.IsNew);
        Assert.False(second.IsNew);
        Assert.Same(first.Value, second.Value);
        Assert.Equal(1, created);
    }

    [Fact]
    public void GetOrAdd_BeyondCapacity_OldestForgotten()
    {
        var recent = new RecentEnvelopes<string>(capacity: 2);
        recent.GetOrAdd("e1", () => "1");
        recent.GetOrAdd("e2", () => "2");
        recent.GetOrAdd("e3", () => "3");

        Assert.True(recent.GetOrAdd("e1", () => "again").IsNew);
        Assert.False(recent.GetOrAdd("e3", () => "again").IsNew);
    }
}
