using ThreatBriefBot.Chat.Slack.WebApi;

namespace ThreatBriefBot.Chat.Slack.Commands;

/// <summary>
/// One slash command being answered, however often Slack delivers it. The first acknowledgement decides how
/// it is answered: with the reply in it when the reply is ready, or later through the response_url — so a
/// command is answered exactly once whichever delivery, socket or request gets there first.
/// </summary>
internal sealed class SlashCommandRun(string command, Uri? responseUrl, Task<IReadOnlyList<SlashCommandResponse>> responses)
{
    private readonly Lock _gate = new();
    private State _state;

    private enum State
    {
        Unanswered,
        InAcknowledgement,
        Later,
    }

    public string Command { get; } = command;

    public Uri? ResponseUrl { get; } = responseUrl;

    /// <summary>The reply, rendered as one or more responses; never faults (a failed command renders an apology).</summary>
    public Task<IReadOnlyList<SlashCommandResponse>> Responses { get; } = responses;

    /// <summary>
    /// Claims the answer for an acknowledgement about to be sent. Returns the payload to put in it when nothing
    /// was claimed before, the reply is ready, fits one message and the acknowledgement may carry it. Otherwise
    /// null; <paramref name="answerLater"/> is then true for the one caller that must deliver the reply to the
    /// response_url.
    /// </summary>
    public SlashCommandResponse? ClaimAcknowledgement(bool mayCarryReply, out bool answerLater)
    {
        lock (_gate)
        {
            answerLater = false;
            if (_state != State.Unanswered)
            {
                return null;
            }

            if (mayCarryReply && Responses.IsCompletedSuccessfully && Responses.Result.Count == 1)
            {
                _state = State.InAcknowledgement;
                return Responses.Result[0];
            }

            _state = State.Later;
            answerLater = true;
            return null;
        }
    }

    /// <summary>The acknowledgement carrying the reply could not be sent: true when the caller must now answer later instead.</summary>
    public bool AcknowledgementLost()
    {
        lock (_gate)
        {
            if (_state != State.InAcknowledgement)
            {
                return false;
            }

            _state = State.Later;
            return true;
        }
    }
}
