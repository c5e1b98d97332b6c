using ThreatBriefBot.Chat.Slack.Commands;
using ThreatBriefBot.Chat.Slack.WebApi;

namespace ThreatBriefBot.Chat.Slack.Tests.Commands;

/// <summary>The rule that answers a command exactly once, however many acknowledgements it gets.</summary>
public sealed class SlashCommandRunTests
{
    private static readonly SlashCommandResponse Reply = new(SlashCommandResponse.Ephemeral, "done", null);

    private static SlashCommandRun Run(Task<IReadOnlyList<SlashCommandResponse>> responses) =>
        new("/brief", new Uri("http://127.0.0.1/commands/1"), responses);

    [Fact]
    public void ClaimAcknowledgement_ReplyReady_FirstCarriesItAndLaterOnesAreEmpty()
    {
        var run = Run(Task.FromResult<IReadOnlyList<SlashCommandResponse>>([Reply]));

        var first = run.ClaimAcknowledgement(mayCarryReply: true, out var firstLater);
        var second = run.ClaimAcknowledgement(mayCarryReply: true, out var secondLater);

        Assert.Same(Reply, first);
        Assert.False(firstLater);
        Assert.Null(second);
        Assert.False(secondLater);
    }

    [Fact]
    public void ClaimAcknowledgement_ReplyNotReady_FirstOwnsTheLaterAnswerAndNobodyElse()
    {
        var pending = new TaskCompletionSource<IReadOnlyList<SlashCommandResponse>>();
        var run = Run(pending.Task);

        Assert.Null(run.ClaimAcknowledgement(mayCarryReply: true, out var firstLater));
        pending.SetResult([Reply]);
        Assert.Null(run.ClaimAcknowledgement(mayCarryReply: true, out var secondLater));

        Assert.True(firstLater);
        Assert.False(secondLater);
    }

    [Fact]
    public void ClaimAcknowledgement_SeveralMessages_AnsweredLater()
    {
        var run = Run(Task.FromResult<IReadOnlyList<SlashCommandResponse>>([Reply, Reply]));

        Assert.Null(run.ClaimAcknowledgement(mayCarryReply: true, out var later));
        Assert.True(later);
    }

    [Fact]
    public void ClaimAcknowledgement_AcknowledgementMayNotCarryAReply_AnsweredLater()
    {
        var run = Run(Task.FromResult<IReadOnlyList<SlashCommandResponse>>([Reply]));

        Assert.Null(run.ClaimAcknowledgement(mayCarryReply: false, out var later));
        Assert.True(later);
    }

    [Fact]
    public void AcknowledgementLost_AfterCarryingTheReply_AnsweredLaterOnce()
    {
        var run = Run(Task.FromResult<IReadOnlyList<SlashCommandResponse>>([Reply]));
        run.ClaimAcknowledgement(mayCarryReply: true, out _);

        Assert.True(run.AcknowledgementLost());
        Assert.False(run.AcknowledgementLost());
        Assert.Null(run.ClaimAcknowledgement(mayCarryReply: true, out var later));
        Assert.False(later);
    }

    [Fact]
    public void AcknowledgementLost_EmptyAcknowledgement_NothingMoreToDo()
    {
        var run = Run(new TaskCompletionSource<IReadOnlyList<SlashCommandResponse>>().Task);
        run.ClaimAcknowledgement(mayCarryReply: true, out _);

        Assert.False(run.AcknowledgementLost());
    }

    [Theory]
    [InlineData("japan --public", "japan", true)]
    [InlineData("--PUBLIC japan  cyberattacks", "japan cyberattacks", true)]
    [InlineData("japan", "japan", false)]
    [InlineData("", "", false)]
    public void WithoutPublicFlag_BriefText_FlagRemovedAndReported(string text, string expected, bool isPublic) =>
        Assert.Equal((expected, isPublic), SlashCommandRunner.WithoutPublicFlag(text));
}
