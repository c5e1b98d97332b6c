using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ThreatBriefBot.Chat.Slack.Fakes;

/// <summary>
/// Reading a channel back: conversations.history (top-level messages, newest first) and conversations.replies (a
/// thread, parent first), with Slack's oldest/latest/inclusive window, cursor pages, and message metadata only
/// when include_all_metadata is set.
/// </summary>
public sealed partial class FakeSlackServer
{
    /// <summary>Slack's default page size, and the most conversations.history returns per page.</summary>
    public const int DefaultHistoryLimit = 100;

    public const int MaxHistoryLimit = 999;

    private const string CursorPrefix = "next_ts:";

    /// <summary>The metadata of a chat.postMessage body: null when absent; a violation when not an event_type and an event_payload object.</summary>
    private static JsonElement? ReadMetadata(JsonElement body, out Violation? violation)
    {
        violation = null;
        if (!body.TryGetProperty("metadata", out var raw))
        {
            return null;
        }

        // Form bodies carry it as a JSON string, as they do blocks.
        var metadata = raw.ValueKind == JsonValueKind.String ? ParseObject(raw.GetString()!) : raw;
        if (metadata is not { ValueKind: JsonValueKind.Object } value)
        {
            violation = new Violation("/metadata", "metadata must be a JSON object", "invalid_metadata_format");
            return null;
        }

        if (string.IsNullOrEmpty(MessageValidator.StringProperty(value, "event_type"))
            || !value.TryGetProperty("event_payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            violation = new Violation("/metadata", "metadata needs a string event_type and an object event_payload", "invalid_metadata_schema");
            return null;
        }

        return value;
    }

    /// <summary>A message as Slack lists it (and as chat.postMessage echoes it).</summary>
    private static JsonObject MessageJson(RecordedMessage recorded, bool withMetadata)
    {
        var text = MessageValidator.StringProperty(recorded.Body, "text") ?? "";
        var message = new JsonObject
        {
            ["type"] = "message",
            ["subtype"] = "bot_message",
            ["text"] = text.Length > MaxTextLength ? text[..MaxTextLength] : text,
            ["ts"] = recorded.Ts,
            ["bot_id"] = BotId,
            ["user"] = BotUserId,
            ["team"] = TeamId,
        };
        if (recorded.Body.TryGetProperty("blocks", out var blocks))
        {
            message["blocks"] = JsonNode.Parse(blocks.GetRawText());
        }

        if (recorded.ThreadTs is not null)
        {
            message["thread_ts"] = recorded.ThreadTs;
        }

        if (withMetadata && recorded.Metadata is { } metadata)
        {
            message["metadata"] = JsonNode.Parse(metadata.GetRawText());
        }

        return message;
    }

    private static string? Argument(JsonElement args, string name) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    private static bool IsTrue(string? value) => value is "true" or "1";

    private static decimal? ParseTs(string? ts) =>
        decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    private Reply ConversationsHistory(ApiCall call)
    {
        if (ReadableChannel(call, out var channel) is { } refused)
        {
            return refused;
        }

        var window = Window.Of(call.Args);
        if (window is null)
        {
            return Json(Error("invalid_arguments"));
        }

        // A reply is listed in its thread only (unless broadcast, which the bot never does); its parent is listed here.
        List<RecordedMessage> listed;
        lock (_gate)
        {
            listed = [.. channel.Messages.Where(m => (m.ThreadTs is null || m.ThreadTs == m.Ts) && window.Contains(m.Ts)).Reverse()];
        }

        return Page(call.Args, listed, parent: null, ReplyCounts(channel));
    }

    private Reply ConversationsReplies(ApiCall call)
    {
        if (ReadableChannel(call, out var channel) is { } refused)
        {
            return refused;
        }

        var threadTs = Argument(call.Args, "ts");
        var window = Window.Of(call.Args);
        if (ParseTs(threadTs) is null || window is null)
        {
            return Json(Error("invalid_arguments"));
        }

        RecordedMessage? parent;
        List<RecordedMessage> replies;
        lock (_gate)
        {
            parent = channel.Messages.FirstOrDefault(m => m.Ts == threadTs && (m.ThreadTs is null || m.ThreadTs == m.Ts));
            replies = [.. channel.Messages.Where(m => m.ThreadTs == threadTs && m.Ts != threadTs && window.Contains(m.Ts))];
        }

        return parent is null ? Json(Error("thread_not_found")) : Page(call.Args, replies, parent, ReplyCounts(channel));
    }

    /// <summary>Null when the bot token may read the channel; else Slack's answer.</summary>
    private Reply? ReadableChannel(ApiCall call, out Channel channel)
    {
        channel = null!;
        if (Authorize(call, TokenKind.Bot) is { } denied)
        {
            return denied;
        }

        var id = Argument(call.Args, "channel") ?? "";
        lock (_gate)
        {
            if (!_channels.TryGetValue(id, out var found) || found.State == ChannelState.Missing)
            {
                return Json(Error("channel_not_found"));
            }

            channel = found;
            return found.State == ChannelState.NotInChannel ? Json(Error("not_in_channel")) : null;
        }
    }

    /// <summary>How many replies each thread parent of the channel has, to mark parents as Slack does.</summary>
    private Dictionary<string, int> ReplyCounts(Channel channel)
    {
        lock (_gate)
        {
            return channel.Messages.Where(m => m.ThreadTs is not null && m.ThreadTs != m.Ts)
                .GroupBy(m => m.ThreadTs!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        }
    }

    /// <summary>One page from the cursor on; the parent of a thread comes first, on the first page only.</summary>
    private static Reply Page(JsonElement args, List<RecordedMessage> listed, RecordedMessage? parent, Dictionary<string, int> replyCounts)
    {
        var limit = int.TryParse(Argument(args, "limit"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var asked) && asked > 0
            ? Math.Min(asked, MaxHistoryLimit)
            : DefaultHistoryLimit;
        var start = 0;
        if (Argument(args, "cursor") is { Length: > 0 } cursor)
        {
            start = DecodeCursor(cursor) is { } ts ? listed.FindIndex(m => m.Ts == ts) : -1;
            if (start < 0)
            {
                return Json(Error("invalid_cursor"));
            }

            parent = null;
        }

        var page = (parent is null ? [] : new[] { parent }).Concat(listed.Skip(start)).Take(limit).ToList();
        var next = start + page.Count - (parent is null ? 0 : 1);
        var hasMore = next < listed.Count;
        var withMetadata = IsTrue(Argument(args, "include_all_metadata"));
        var messages = new JsonArray();
        foreach (var message in page)
        {
            var json = MessageJson(message, withMetadata);
            if (replyCounts.TryGetValue(message.Ts, out var replies))
            {
                json["thread_ts"] = message.Ts;
                json["reply_count"] = replies;
            }

            messages.Add(json);
        }

        return Json(new JsonObject
        {
            ["ok"] = true,
            ["messages"] = messages,
            ["has_more"] = hasMore,
            ["response_metadata"] = new JsonObject { ["next_cursor"] = hasMore ? EncodeCursor(listed[next].Ts) : "" },
        });
    }

    /// <summary>Slack's cursors are opaque base64; this one is "next_ts:&lt;ts&gt;" as Slack's look when decoded.</summary>
    private static string EncodeCursor(string ts) => Convert.ToBase64String(Encoding.UTF8.GetBytes(CursorPrefix + ts));

    private static string? DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith(CursorPrefix, StringComparison.Ordinal) ? text[CursorPrefix.Length..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>oldest and latest bound the messages; both exclusive unless inclusive is set (Slack's defaults: 0 and now).</summary>
    private sealed record Window(decimal Oldest, decimal? Latest, bool Inclusive)
    {
        public static Window? Of(JsonElement args)
        {
            var oldest = Argument(args, "oldest");
            var latest = Argument(args, "latest");
            var parsedOldest = oldest is null ? 0 : ParseTs(oldest);
            var parsedLatest = latest is null ? null : ParseTs(latest);
            return parsedOldest is null || (latest is not null && parsedLatest is null)
                ? null
                : new Window(parsedOldest.Value, parsedLatest, IsTrue(Argument(args, "inclusive")));
        }

        public bool Contains(string ts)
        {
            var value = ParseTs(ts) ?? 0;
            return Inclusive
                ? value >= Oldest && (Latest is null || value <= Latest)
                : value > Oldest && (Latest is null || value < Latest);
        }
    }
}
