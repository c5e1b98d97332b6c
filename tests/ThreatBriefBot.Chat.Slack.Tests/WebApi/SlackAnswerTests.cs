using System.Net;
using ThreatBriefBot.Chat.Slack.WebApi;

namespace ThreatBriefBot.Chat.Slack.Tests.WebApi;

/// <summary>How each kind of Web API answer is judged for retrying, including those the fake does not serve.</summary>
public sealed class SlackAnswerTests
{
    [Theory]
    [InlineData(200, """{"ok":true,"ts":"1503435956.000247"}""", "Done", "")]
    [InlineData(429, """{"ok":false,"error":"ratelimited"}""", "RateLimited", "ratelimited")]
    [InlineData(200, """{"ok":false,"error":"rate_limited"}""", "RateLimited", "rate_limited")]
    [InlineData(503, "<html>busy</html>", "Transient", "HTTP 503")]
    [InlineData(200, "<html>Slack is down</html>", "Transient", "an answer that is not JSON")]
    [InlineData(200, """{"ok":false,"error":"internal_error"}""", "Transient", "internal_error")]
    [InlineData(200, """{"ok":false,"error":"channel_not_found"}""", "Refused", "channel_not_found")]
    [InlineData(404, "<html>not here</html>", "Refused", "http_404")]
    public void Of_Answer_JudgedForRetrying(int status, string body, string verdict, string problem)
    {
        var answer = SlackAnswer.Of((HttpStatusCode)status, body);

        Assert.Equal((verdict, problem), (answer.Verdict.ToString(), answer.Problem));
    }
}
