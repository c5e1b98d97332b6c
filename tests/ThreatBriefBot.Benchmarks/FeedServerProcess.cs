using System.Diagnostics;
using System.Globalization;

namespace ThreatBriefBot.Benchmarks;

/// <summary>What the feed server had served so far, and what it cost that process.</summary>
internal sealed record ServerStats(long Requests, long Ok, long NotModified, long NotFound, long Bytes, TimeSpan Cpu, long PeakWorkingSet)
{
    public static ServerStats Parse(string line)
    {
        var f = line.Split(' ');
        if (f.Length != 8 || f[0] != "stats")
        {
            throw new InvalidOperationException("feed server: unexpected answer: " + line);
        }

        long At(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        return new(At(1), At(2), At(3), At(4), At(5), TimeSpan.FromTicks(At(6)), At(7));
    }

    public ServerStats Since(ServerStats before) =>
        new(Requests - before.Requests, Ok - before.Ok, NotModified - before.NotModified, NotFound - before.NotFound,
            Bytes - before.Bytes, Cpu - before.Cpu, PeakWorkingSet);
}

/// <summary>The feed server as a child process of this program (<c>--serve</c>), spoken to over its stdin/stdout.</summary>
internal sealed class FeedServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private FeedServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public static async Task<FeedServerProcess> StartAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this program's path");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Run through the dotnet host (dotnet ThreatBriefBot.Benchmarks.dll) as well as through the apphost.
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(FeedServerProcess).Assembly.Location);
        }

        foreach (var arg in new[]
        {
            "--serve",
            "--feeds", options.Feeds.ToString(CultureInfo.InvariantCulture),
            "--items", options.Items.ToString(CultureInfo.InvariantCulture),
            "--not-modified-share", options.NotModifiedShare.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("feed server: did not start");
        try
        {
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startup.CancelAfter(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(startup.Token)
                ?? throw new InvalidOperationException("feed server: exited before listening");
            if (!line.StartsWith("listening ", StringComparison.Ordinal)
                || !Uri.TryCreate(line["listening ".Length..], UriKind.Absolute, out var address) || !address.IsLoopback)
            {
                throw new InvalidOperationException("feed server: unexpected first line: " + line);
            }

            return new FeedServerProcess(process, address);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public Uri UrlOf(int feed) => new(BaseAddress, FeedDocuments.PathOf(feed));

    /// <summary>Moves the server to the next poll cycle: feeds that change get new validators.</summary>
    public async Task SetGenerationAsync(int generation, CancellationToken cancellationToken)
    {
        var answer = await AskAsync(string.Create(CultureInfo.InvariantCulture, $"generation {generation}"), cancellationToken);
        if (answer != "ok")
        {
            throw new InvalidOperationException("feed server: unexpected answer: " + answer);
        }
    }

    public async Task<ServerStats> StatsAsync(CancellationToken cancellationToken) =>
        ServerStats.Parse(await AskAsync("stats", cancellationToken));

    private async Task<string> AskAsync(string command, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken);
        await _process.StandardInput.FlushAsync(cancellationToken);
        return await _process.StandardOutput.ReadLineAsync(cancellationToken)
            ?? throw new InvalidOperationException("feed server: exited");
    }

    /// <summary>Closes its stdin, which stops it; kills it when it has not stopped within 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }
}
