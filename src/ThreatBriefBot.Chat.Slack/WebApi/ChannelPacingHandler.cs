namespace ThreatBriefBot.Chat.Slack.WebApi;

/// <summary>
/// Inside the retry pipeline, so every attempt of a post, first or repeated after a 429, waits its channel's turn
/// from <see cref="ChannelPacer"/>; outside the attempt timeout, so a long wait for the turn is not a timeout.
/// </summary>
internal sealed class ChannelPacingHandler(ChannelPacer pacer) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (SlackCall.Of(request).PaceKey is { } channel)
        {
            await pacer.WaitTurnAsync(channel, cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
