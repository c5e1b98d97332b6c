using Microsoft.Extensions.Logging;

namespace ThreatBriefBot.Chat.Slack;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "SlackRateLimited", Level = LogLevel.Information, Message = "Slack rate-limited {What}; waiting {Wait}")]
    public static partial void RateLimited(ILogger logger, string what, TimeSpan wait);

    [LoggerMessage(EventId = 2, EventName = "SlackRetrying", Level = LogLevel.Warning, Message = "Slack failed {What} ({Problem}); trying again in {Delay}")]
    public static partial void Retrying(ILogger logger, string what, string problem, TimeSpan delay);

    [LoggerMessage(EventId = 3, EventName = "SlackSocketConnected", Level = LogLevel.Information, Message = "Slack Socket Mode connection {Connection} is ready")]
    public static partial void SocketReady(ILogger logger, int connection);

    [LoggerMessage(EventId = 4, EventName = "SlackSocketDisconnectRequested", Level = LogLevel.Information, Message = "Slack asked Socket Mode connection {Connection} to disconnect ({Reason})")]
    public static partial void DisconnectRequested(ILogger logger, int connection, string reason);

    [LoggerMessage(EventId = 5, EventName = "SlackSocketModeDisabled", Level = LogLevel.Error, Message = "Slack turned Socket Mode off for this app (link_disabled): slash commands stop until Socket Mode is turned on again in the app's settings and the bot restarted. Digests still go out.")]
    public static partial void SocketModeDisabled(ILogger logger);

    [LoggerMessage(EventId = 6, EventName = "SlackSocketFailed", Level = LogLevel.Warning, Message = "Slack Socket Mode failed; reconnecting in {Delay}")]
    public static partial void SocketFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(EventId = 7, EventName = "SlackSocketRefused", Level = LogLevel.Error, Message = "Slack refused to open a Socket Mode connection ({Error}): slash commands stop until Slack:AppToken is fixed and the bot restarted. Digests still go out.")]
    public static partial void SocketRefused(ILogger logger, Exception exception, string error);

    [LoggerMessage(EventId = 8, EventName = "SlackSocketClosed", Level = LogLevel.Information, Message = "Slack Socket Mode connection {Connection} closed")]
    public static partial void SocketClosed(ILogger logger, int connection);

    [LoggerMessage(EventId = 9, EventName = "SlackCommandFailed", Level = LogLevel.Error, Message = "The Slack command {Command} failed")]
    public static partial void CommandFailed(ILogger logger, Exception exception, string command);

    [LoggerMessage(EventId = 10, EventName = "SlackCommandReplyFailed", Level = LogLevel.Warning, Message = "Could not deliver the reply to the Slack command {Command}")]
    public static partial void CommandReplyFailed(ILogger logger, Exception exception, string command);

    [LoggerMessage(EventId = 11, EventName = "SlackEnvelopeIgnored", Level = LogLevel.Debug, Message = "Acknowledged a Socket Mode {Type} envelope the bot does not handle")]
    public static partial void EnvelopeIgnored(ILogger logger, string type);

    [LoggerMessage(EventId = 12, EventName = "SlackEnvelopeRedelivered", Level = LogLevel.Debug, Message = "Slack delivered envelope {EnvelopeId} again; acknowledged, not run twice")]
    public static partial void EnvelopeRedelivered(ILogger logger, string envelopeId);

    [LoggerMessage(EventId = 13, EventName = "SlackSignatureRejected", Level = LogLevel.Warning, Message = "Refused a slash-command request: {Reason}")]
    public static partial void SignatureRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 14, EventName = "SlackAdminGroupLookupFailed", Level = LogLevel.Warning, Message = "Could not read the members of Slack:AdminUserGroup {Group}; treating the user as not an admin")]
    public static partial void AdminGroupLookupFailed(ILogger logger, Exception exception, string group);

    [LoggerMessage(EventId = 15, EventName = "SlackCommandsListening", Level = LogLevel.Information, Message = "Slack slash commands are accepted at {Url}")]
    public static partial void CommandsListening(ILogger logger, Uri url);

    [LoggerMessage(EventId = 16, EventName = "SlackTooManyWebsockets", Level = LogLevel.Warning, Message = "Slack says the app has too many Socket Mode connections; closing connection {Connection}")]
    public static partial void TooManyWebsockets(ILogger logger, int connection);

    [LoggerMessage(EventId = 17, EventName = "SlackBadFrame", Level = LogLevel.Warning, Message = "Ignored a Socket Mode frame that is not valid JSON")]
    public static partial void BadFrame(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 18, EventName = "SlackDigestPartFound", Level = LogLevel.Information, Message = "Digest part {PartKey} was already posted in {Channel} (ts {Ts}); not posting it again")]
    public static partial void DigestPartFound(ILogger logger, string partKey, string channel, string ts);

    [LoggerMessage(EventId = 19, EventName = "SlackDigestPartNotLookedUp", Level = LogLevel.Warning, Message = "Could not check whether digest part {PartKey} was already posted in {Channel} ({Error}; the bot needs channels:history and groups:history); posting it again")]
    public static partial void DigestPartNotLookedUp(ILogger logger, Exception exception, string partKey, string channel, string error);

    [LoggerMessage(EventId = 20, EventName = "SlackDigestPartLookupTruncated", Level = LogLevel.Warning, Message = "Digest part {PartKey} was not among the messages read from {Channel}, and more were left unread (Slack:MaxLookupPages); posting it again")]
    public static partial void DigestPartLookupTruncated(ILogger logger, string partKey, string channel);
}
