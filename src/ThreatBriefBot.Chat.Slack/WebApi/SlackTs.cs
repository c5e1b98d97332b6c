using System.Globalization;

namespace ThreatBriefBot.Chat.Slack.WebApi;

/// <summary>Slack's message timestamps: Unix seconds and microseconds, "1712345678.000200".</summary>
internal static class SlackTs
{
    public static string From(DateTimeOffset time)
    {
        var microseconds = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (TimeSpan.TicksPerMillisecond / 1000);
        return string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000}.{microseconds % 1_000_000:D6}");
    }
}
