using Microsoft.Extensions.Logging;

namespace ThreatBriefBot.Chat.Discord;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "DiscordMessagesPosted", Level = LogLevel.Debug, Message = "Posted {Count} message(s) to {Target}")]
    public static partial void MessagesPosted(ILogger logger, Core.Chat.ChatTarget target, int count);

    [LoggerMessage(EventId = 2, EventName = "DiscordRateLimited", Level = LogLevel.Information, Message = "Discord rate limited {Route} (global {Global}); retrying in {Seconds:0.###} s")]
    public static partial void RateLimited(ILogger logger, string route, double seconds, bool global);

    [LoggerMessage(EventId = 3, EventName = "DiscordRequestRetried", Level = LogLevel.Warning, Message = "{Route} failed ({Reason}); retry {Attempt}")]
    public static partial void RequestRetried(ILogger logger, string route, string reason, int attempt);

    [LoggerMessage(EventId = 4, EventName = "DiscordTokenRejected", Level = LogLevel.Error, Message = "Discord answered 401 to {Route}: the bot token (Discord:BotToken) is invalid; no more bot requests until restart")]
    public static partial void TokenRejected(ILogger logger, string route);

    [LoggerMessage(EventId = 5, EventName = "DiscordCommandsRegistered", Level = LogLevel.Information, Message = "Registered {Count} slash commands for {Where}")]
    public static partial void CommandsRegistered(ILogger logger, int count, string where);

    [LoggerMessage(EventId = 6, EventName = "DiscordCommandRegistrationFailed", Level = LogLevel.Error, Message = "Could not register the slash commands; those registered before still work")]
    public static partial void CommandRegistrationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, EventName = "DiscordInteractionIgnored", Level = LogLevel.Debug, Message = "Ignored interaction {Id} of type {Type}")]
    public static partial void InteractionIgnored(ILogger logger, string id, int type);

    [LoggerMessage(EventId = 8, EventName = "DiscordInteractionFailed", Level = LogLevel.Error, Message = "Interaction {Id} (/{Command}) failed")]
    public static partial void InteractionFailed(ILogger logger, Exception exception, string id, string command);

    [LoggerMessage(EventId = 9, EventName = "DiscordInteractionAnswered", Level = LogLevel.Debug, Message = "Answered interaction {Id} (/{Command}), deferred {Deferred}")]
    public static partial void InteractionAnswered(ILogger logger, string id, string command, bool deferred);

    [LoggerMessage(EventId = 10, EventName = "DiscordFollowUpRefused", Level = LogLevel.Warning, Message = "Discord refused a follow-up to interaction {Id}: {Error}")]
    public static partial void FollowUpRefused(ILogger logger, string id, string error);

    [LoggerMessage(EventId = 11, EventName = "DiscordGatewayConnected", Level = LogLevel.Debug, Message = "Gateway connected to {Url} (resuming {Resuming})")]
    public static partial void GatewayConnected(ILogger logger, Uri url, bool resuming);

    [LoggerMessage(EventId = 12, EventName = "DiscordGatewayReady", Level = LogLevel.Information, Message = "Gateway session {SessionId} ready")]
    public static partial void GatewayReady(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 13, EventName = "DiscordGatewayResumed", Level = LogLevel.Information, Message = "Gateway session {SessionId} resumed after sequence {Sequence}")]
    public static partial void GatewayResumed(ILogger logger, string sessionId, int sequence);

    [LoggerMessage(EventId = 14, EventName = "DiscordGatewayReconnectRequested", Level = LogLevel.Information, Message = "Gateway asked for a reconnect (op 7); resuming")]
    public static partial void GatewayReconnectRequested(ILogger logger);

    [LoggerMessage(EventId = 15, EventName = "DiscordGatewaySessionInvalidated", Level = LogLevel.Information, Message = "Gateway invalidated the session (op 9, resumable {Resumable})")]
    public static partial void GatewaySessionInvalidated(ILogger logger, bool resumable);

    [LoggerMessage(EventId = 16, EventName = "DiscordGatewayZombie", Level = LogLevel.Warning, Message = "Gateway did not acknowledge a heartbeat; reconnecting to resume")]
    public static partial void GatewayZombie(ILogger logger);

    [LoggerMessage(EventId = 17, EventName = "DiscordGatewayDropped", Level = LogLevel.Information, Message = "Gateway connection dropped ({Reason}); resuming")]
    public static partial void GatewayDropped(ILogger logger, string reason);

    [LoggerMessage(EventId = 18, EventName = "DiscordGatewayClosed", Level = LogLevel.Information, Message = "Gateway closed the connection with {Code} {Description}")]
    public static partial void GatewayClosed(ILogger logger, int code, string description);

    [LoggerMessage(EventId = 19, EventName = "DiscordGatewayConnectionFailed", Level = LogLevel.Warning, Message = "Gateway connection failed; retrying")]
    public static partial void GatewayConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 20, EventName = "DiscordGatewayStopped", Level = LogLevel.Critical, Message = "Discord gateway stopped for good: {Reason}. Slash commands will not be received until this is fixed and the bot restarted; digests still post.")]
    public static partial void GatewayStopped(ILogger logger, string reason);

    [LoggerMessage(EventId = 21, EventName = "DiscordListenerStarted", Level = LogLevel.Information, Message = "Discord interactions endpoint listening at {Url}")]
    public static partial void ListenerStarted(ILogger logger, Uri url);

    [LoggerMessage(EventId = 22, EventName = "DiscordListenerFailed", Level = LogLevel.Critical, Message = "Discord interactions endpoint could not listen on {Url} (Discord:InteractionsListenUrl); slash commands will not be received")]
    public static partial void ListenerFailed(ILogger logger, Exception exception, Uri url);

    [LoggerMessage(EventId = 23, EventName = "DiscordSignatureRejected", Level = LogLevel.Warning, Message = "Refused an interaction from {Remote} with a bad or missing signature")]
    public static partial void SignatureRejected(ILogger logger, string remote);

    [LoggerMessage(EventId = 24, EventName = "DiscordInteractionUnreadable", Level = LogLevel.Warning, Message = "Ignored an INTERACTION_CREATE that could not be read")]
    public static partial void InteractionUnreadable(ILogger logger, Exception exception);
}
