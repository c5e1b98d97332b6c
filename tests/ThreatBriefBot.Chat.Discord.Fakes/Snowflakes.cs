namespace ThreatBriefBot.Chat.Discord.Fakes;

/// <summary>Discord-shaped ids: milliseconds since the Discord epoch in the high bits, strictly increasing.</summary>
internal sealed class Snowflakes(TimeProvider time)
{
    private const long DiscordEpochMilliseconds = 1_420_070_400_000;
    private long _last;

    public string Next()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var candidate = Math.Max((time.GetUtcNow().ToUnixTimeMilliseconds() - DiscordEpochMilliseconds) << 22, last + 1);
            if (Interlocked.CompareExchange(ref _last, candidate, last) == last)
            {
                return candidate.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
