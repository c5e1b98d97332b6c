using ThreatBriefBot.Benchmarks;

var options = BenchmarkOptions.Parse(args, out var error);
if (options is null)
{
    await Console.Error.WriteLineAsync(error);
    await Console.Error.WriteLineAsync(BenchmarkOptions.Usage);
    return 2;
}

if (options.Serve)
{
    return await FeedServer.RunAsync(options);
}

if (options.DataDirectory is { } dataDirectory && Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
{
    await Console.Error.WriteLineAsync($"--data-dir {dataDirectory}: must be empty or not exist, so the first cycle starts cold");
    return 2;
}

// Bounded: the whole run is cancelled after --timeout-minutes, or on Ctrl+C.
using var cancellation = new CancellationTokenSource(options.Timeout, TimeProvider.System);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    await new LoadHarness(options, Console.Out).RunAsync(cancellation.Token);
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync($"stopped: the run did not finish within {options.Timeout.TotalMinutes:0} minutes, or was interrupted");
    return 1;
}
