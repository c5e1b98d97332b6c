namespace ThreatBriefBot.Chat.Slack.SocketMode;

/// <summary>
/// The envelopes seen lately, by envelope_id, so a redelivery (after a missed acknowledgement, or on a second
/// connection) finds the run already under way. Bounded: the oldest are forgotten first.
/// </summary>
internal sealed class RecentEnvelopes<T>(int capacity)
    where T : class
{
    private readonly Dictionary<string, T> _byId = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    /// <summary>The value for <paramref name="envelopeId"/>, made by <paramref name="create"/> only the first time.</summary>
    public (T Value, bool IsNew) GetOrAdd(string envelopeId, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        lock (_gate)
        {
            if (_byId.TryGetValue(envelopeId, out var existing))
            {
                return (existing, false);
            }

            var value = create();
            _byId.Add(envelopeId, value);
            _order.Enqueue(envelopeId);
            while (_order.Count > capacity)
            {
                _byId.Remove(_order.Dequeue());
            }

            return (value, true);
        }
    }
}
