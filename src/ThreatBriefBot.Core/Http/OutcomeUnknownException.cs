namespace ThreatBriefBot.Core.Http;

/// <summary>
/// A request that is not safe to repeat (posting a message) failed without a verdict: it timed out, the connection
/// broke, or the server answered 5xx or something unreadable. It may or may not have taken effect, so it was not
/// retried; the caller decides, e.g. by looking the message up. An <see cref="HttpRequestException"/>, so callers
/// that treat those as transient keep working.
/// </summary>
public sealed class OutcomeUnknownException : HttpRequestException
{
    public OutcomeUnknownException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
