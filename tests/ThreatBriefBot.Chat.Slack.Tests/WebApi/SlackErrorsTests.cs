using System.Net;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack.Tests.WebApi;

public sealed class SlackErrorsTests
{
    [Theory]
    [InlineData("channel_not_found", ChatDeliveryFailure.TargetUnavailable)]
    [InlineData("not_in_channel", ChatDeliveryFailure.TargetUnavailable)]
    [InlineData("is_archived", ChatDeliveryFailure.TargetUnavailable)]
    [InlineData("invalid_auth", ChatDeliveryFailure.NotAuthorized)]
    [InlineData("account_inactive", ChatDeliveryFailure.NotAuthorized)]
    [InlineData("token_revoked", ChatDeliveryFailure.NotAuthorized)]
    [InlineData("invalid_blocks", ChatDeliveryFailure.Rejected)]
    [InlineData("no_text", ChatDeliveryFailure.Rejected)]
    public void Classify_SlackError_WhatTheBotDoes(string error, ChatDeliveryFailure expected) =>
        Assert.Equal(expected, SlackErrors.Classify(error));

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "channel_not_found", ChatDeliveryFailure.TargetUnavailable)]
    [InlineData(HttpStatusCode.Gone, "channel_is_archived", ChatDeliveryFailure.TargetUnavailable)]
    [InlineData(HttpStatusCode.Forbidden, "action_prohibited", ChatDeliveryFailure.TargetUnavailable)]
    [InlineData(HttpStatusCode.NotFound, "", ChatDeliveryFailure.TargetUnavailable)]
    [InlineData(HttpStatusCode.BadRequest, "invalid_payload", ChatDeliveryFailure.Rejected)]
    [InlineData(HttpStatusCode.Forbidden, "invalid_token", ChatDeliveryFailure.NotAuthorized)]
    public void ClassifyWebhook_StatusAndBody_WhatTheBotDoes(HttpStatusCode status, string body, ChatDeliveryFailure expected) =>
        Assert.Equal(expected, SlackErrors.ClassifyWebhook(status, body));

    [Fact]
    public void ToException_ChannelGone_PausesTheTarget()
    {
        var exception = SlackErrors.ToException("chat.postMessage", "is_archived", SlackErrors.Classify("is_archived"));

        Assert.NotEqual(ChatDeliveryFailure.Rejected, exception.Failure);
        Assert.Equal("is_archived", exception.PlatformError);
        Assert.Contains("archived", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ratelimited", true)]
    [InlineData("rate_limited", true)]
    [InlineData("channel_not_found", false)]
    public void IsRateLimit_ErrorCode_BothSpellings(string error, bool expected) =>
        Assert.Equal(expected, SlackErrors.IsRateLimit(error));
}
