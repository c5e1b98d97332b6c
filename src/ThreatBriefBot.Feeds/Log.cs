using Microsoft.Extensions.Logging;

namespace ThreatBriefBot.Feeds;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "FeedFetched", Level = LogLevel.Debug, Message = "Read {Source}: {Format}, {EntryCount} entries, bozo {Bozo}")]
    public static partial void FeedFetched(ILogger logger, string source, string format, int entryCount, bool bozo);

    [LoggerMessage(EventId = 2, EventName = "FeedNotModified", Level = LogLevel.Debug, Message = "{Source} not modified since the last poll")]
    public static partial void FeedNotModified(ILogger logger, string source);

    [LoggerMessage(EventId = 3, EventName = "FeedFetchFailed", Level = LogLevel.Warning, Message = "Could not read {Source}: {Reason}")]
    public static partial void FeedFetchFailed(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 5, EventName = "FeedParserFailed", Level = LogLevel.Error, Message = "The feed parser failed unexpectedly")]
    public static partial void ParserFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, EventName = "FeedRecovered", Level = LogLevel.Debug, Message = "{Source} is not well-formed and was read by recovery: {Reason}")]
    public static partial void FeedRecovered(ILogger logger, string source, string reason);
}
