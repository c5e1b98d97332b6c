namespace ThreatBriefBot.Core.Chat;

/// <summary>Why a platform refused a message, in the terms the rest of the bot acts on.</summary>
public enum ChatDeliveryFailure
{
    /// <summary>The channel is gone, archived or closed to the bot: retrying cannot help until someone acts.</summary>
    TargetUnavailable,

    /// <summary>The platform rejected the bot's credentials: retrying cannot help until ops fix the token.</summary>
    NotAuthorized,

    /// <summary>The platform refused this request as malformed; a bug, not the channel's fault.</summary>
    Rejected,
}

/// <summary>
/// Thrown by an <see cref="IChatAdapter"/> when the platform refused a message for a reason that retrying will not
/// fix. Transient trouble (timeouts, 5xx, rate limits) is retried inside the adapter and surfaces as other exceptions.
/// </summary>
public sealed class ChatDeliveryException : Exception
{
    public ChatDeliveryException(ChatDeliveryFailure failure, string platformError, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        PlatformError = platformError;
    }

    public ChatDeliveryFailure Failure { get; }

    /// <summary>The platform's own error code, e.g. Discord's "50013" or Slack's "channel_not_found".</summary>
    public string PlatformError { get; }
}
