using System.Net;
using System.Text.Json;

namespace ThreatBriefBot.Chat.Slack.WebApi;

/// <summary>What a Web API answer means for retrying.</summary>
internal enum SlackVerdict
{
    Done,

    /// <summary>HTTP 429 "ratelimited", or 200 "rate_limited": nothing was done; wait and send again.</summary>
    RateLimited,

    /// <summary>5xx, an answer that is not JSON, or Slack's own trouble (internal_error …): the outcome is unknown.</summary>
    Transient,

    /// <summary>ok:false for a reason that repeating cannot fix.</summary>
    Refused,
}

/// <summary>A Web API answer read once, for the retry strategies and for the client (Slack's errors come as HTTP 200).</summary>
/// <param name="Problem">The error code or what was wrong, for messages and logs.</param>
internal sealed record SlackAnswer(SlackVerdict Verdict, SlackApiResponse? Body, string Problem)
{
    public static SlackAnswer Of(HttpStatusCode status, string text)
    {
        if (status == HttpStatusCode.TooManyRequests)
        {
            return new(SlackVerdict.RateLimited, null, "ratelimited");
        }

        if ((int)status >= 500)
        {
            return new(SlackVerdict.Transient, null, $"HTTP {(int)status}");
        }

        SlackApiResponse? body;
        try
        {
            body = JsonSerializer.Deserialize(text, SlackJson.Context.SlackApiResponse);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            // Slack's outage pages are HTML; a non-JSON 2xx is a proxy or an outage, not a verdict.
            return (int)status is >= 200 and < 300
                ? new(SlackVerdict.Transient, null, "an answer that is not JSON")
                : new(SlackVerdict.Refused, null, $"http_{(int)status}");
        }

        if (body.Ok)
        {
            return new(SlackVerdict.Done, body, "");
        }

        var error = body.Error ?? $"http_{(int)status}";
        var verdict = SlackErrors.IsRateLimit(error) ? SlackVerdict.RateLimited
            : SlackErrors.IsTransient(error) ? SlackVerdict.Transient
            : SlackVerdict.Refused;
        return new(verdict, body, error);
    }

    /// <summary>Buffers the body, so the client can read it again after the pipeline.</summary>
    public static async ValueTask<SlackAnswer> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return Of(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
