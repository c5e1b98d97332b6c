using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ThreatBriefBot.Feeds;

/// <summary>
/// Politeness limits shared by every feed request: at most <see cref="FeedsOptions.MaxRequestsPerHost"/> in flight
/// to one host, at least <see cref="FeedsOptions.PerHostMinInterval"/> between the starts of two requests to it,
/// and at most <see cref="FeedsOptions.MaxConcurrentRequests"/> in flight in all. A singleton: the factory
/// recycles message handlers every few minutes, and the limits must outlive them.
/// </summary>
public sealed class HostThrottle(IOptions<FeedsOptions> options, TimeProvider timeProvider) : IDisposable
{
    private readonly SemaphoreSlim _global = new(options.Value.MaxConcurrentRequests);
    private readonly ConcurrentDictionary<string, HostGate> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Waits for a slot for <paramref name="host"/>; dispose the result when the response is read.</summary>
    public async Task<IDisposable> EnterAsync(string host, CancellationToken cancellationToken)
    {
        var gate = _hosts.GetOrAdd(host, _ => new HostGate(options.Value.MaxRequestsPerHost));
        await gate.InFlight.WaitAsync(cancellationToken);
        try
        {
            await WaitForIntervalAsync(gate, cancellationToken);
            await _global.WaitAsync(cancellationToken);
        }
        catch
        {
            gate.InFlight.Release();
            throw;
        }

        return new Slot(gate.InFlight, _global);
    }

    public void Dispose()
    {
        _global.Dispose();
        foreach (var gate in _hosts.Values)
        {
            gate.InFlight.Dispose();
        }
    }

    private async Task WaitForIntervalAsync(HostGate gate, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (gate)
        {
            // Reserve the next start time under the lock, so concurrent requests queue one interval apart.
            var now = timeProvider.GetUtcNow();
            var start = gate.NextStart > now ? gate.NextStart : now;
            gate.NextStart = start + options.Value.PerHostMinInterval;
            wait = start - now;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, timeProvider, cancellationToken);
        }
    }

    private sealed class HostGate(int maxInFlight)
    {
        public SemaphoreSlim InFlight { get; } = new(maxInFlight);

        public DateTimeOffset NextStart { get; set; }
    }

    private sealed class Slot(SemaphoreSlim host, SemaphoreSlim global) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                global.Release();
                host.Release();
            }
        }
    }
}
