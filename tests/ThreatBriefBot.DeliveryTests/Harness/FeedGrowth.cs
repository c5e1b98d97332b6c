namespace ThreatBriefBot.DeliveryTests.Harness;

/// <summary>Grows every feed on a timer, in the background, until disposed.</summary>
internal sealed class FeedGrowth(IReadOnlyList<GrowingFeed> feeds, TimeSpan every) : IAsyncDisposable
{
    // Not disposed: it has no timer, and DisposeAsync may be called twice.
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (true)
            {
                var now = DateTimeOffset.UtcNow;
                foreach (var feed in feeds)
                {
                    feed.Grow(now);
                }

                await timer.WaitForNextTickAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    });

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _loop;
    }
}
