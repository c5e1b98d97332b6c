using Microsoft.Extensions.Options;

namespace ThreatBriefBot.Chat.Slack.WebApi;

/// <summary>
/// Spaces messages to one channel (or webhook) at least <see cref="SlackOptions.MinPostInterval"/> apart, Slack's
/// "about one message per second per channel", so the bot slows itself down before Slack has to say so; and
/// holds the channel back for as long as a 429 asked.
/// </summary>
internal sealed class ChannelPacer(IOptions<SlackOptions> options, TimeProvider timeProvider)
{
    /// <summary>Channels whose slot is long past are forgotten once there are this many.</summary>
    private const int PruneAbove = 256;

    private readonly Dictionary<string, DateTimeOffset> _nextSlot = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Takes the channel's next free slot; returns how long until it.</summary>
    public TimeSpan Reserve(string channel)
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            var slot = _nextSlot.TryGetValue(channel, out var next) && next > now ? next : now;
            _nextSlot[channel] = slot + options.Value.MinPostInterval;
            if (_nextSlot.Count > PruneAbove)
            {
                foreach (var stale in _nextSlot.Where(p => p.Value < now).Select(p => p.Key).ToList())
                {
                    _nextSlot.Remove(stale);
                }
            }

            return slot - now;
        }
    }

    /// <summary>Holds every later message to the channel back for at least <paramref name="wait"/> (a 429's Retry-After).</summary>
    public void Defer(string channel, TimeSpan wait)
    {
        lock (_gate)
        {
            var until = timeProvider.GetUtcNow() + wait;
            if (!_nextSlot.TryGetValue(channel, out var next) || next < until)
            {
                _nextSlot[channel] = until;
            }
        }
    }

    public Task WaitTurnAsync(string channel, CancellationToken cancellationToken)
    {
        var wait = Reserve(channel);
        return wait > TimeSpan.Zero ? Task.Delay(wait, timeProvider, cancellationToken) : Task.CompletedTask;
    }
}
