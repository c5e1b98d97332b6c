using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Feeds;
using ThreatBriefBot.Hosting;
using ThreatBriefBot.Ingestion;

namespace ThreatBriefBot.Benchmarks;

/// <summary>
/// Issue 3's benchmark: the real host, given every feed as configuration, polls them all with
/// <see cref="FeedPollCycle"/> twice — cold into a fresh SQLite data directory, then again with most feeds answering
/// 304 — and prints what each cycle cost against the issue's targets for the second one.
/// </summary>
internal sealed class LoadHarness(BenchmarkOptions options, TextWriter output)
{
    private static readonly TimeSpan SecondCycleWallTarget = TimeSpan.FromSeconds(60);
    private const long SecondCyclePeakTarget = 300L * 1024 * 1024;

    private readonly StageTimings _timings = new();
    private long _processPeak;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), "tbb-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            await using var server = await FeedServerProcess.StartAsync(options, cancellationToken);
            using var host = BuildHost(root, server);
            await ThreatBriefBotHost.PrepareAsync(host, HostMode.Command, migrate: true, cancellationToken);
            var feeds = host.Services.GetRequiredService<FeedCatalog>().Configured;
            var cycle = host.Services.GetRequiredService<FeedPollCycle>();
            PrintHeader(host, server);

            var cold = await RunCycleAsync("cycle 1 (cold: every item new)", cycle, feeds, server, cancellationToken);
            cold.Print(output);
            await server.SetGenerationAsync(2, cancellationToken);
            var warm = await RunCycleAsync(
                string.Create(CultureInfo.InvariantCulture, $"cycle 2 (warm: {options.NotModifiedShare:P0} answer 304, the rest 200 with the same items)"),
                cycle, feeds, server, cancellationToken);
            warm.Print(output);

            output.WriteLine();
            output.WriteLine("targets (issue 3, second cycle on this machine)");
            output.Line(
                $"  wall time <= {SecondCycleWallTarget.TotalSeconds:0} s          {warm.Wall.TotalSeconds,7:0.0} s   {Verdict(warm.Wall <= SecondCycleWallTarget)}");
            output.Line(
                $"  peak working set < 300 MB {warm.PeakWorkingSet / (1024.0 * 1024),7:0} MB  {Verdict(warm.PeakWorkingSet < SecondCyclePeakTarget)}{(warm.PeakIsPerCycle ? "" : " (process-wide peak)")}");

            output.WriteLine();
            new DocumentCosts(host.Services.GetRequiredService<FeedParser>(), host.Services.GetRequiredService<IItemClassifier>(), options.Items)
                .Measure(Math.Min(200, options.Feeds), options.Feeds, warm.Reports.Count(r => r.Status == FeedFetchStatus.Ok))
                .Print(output);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Verdict(bool pass) => pass ? "PASS" : "FAIL";

    private IHost BuildHost(string root, FeedServerProcess server)
    {
        var configFile = Path.Combine(root, "appsettings.json");
        File.WriteAllText(configFile, ShippedConfigurationWithoutFeeds().ToJsonString());

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var feed = 0; feed < options.Feeds; feed++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"Feeds:Items:{feed}:");
            settings[prefix + "Name"] = FeedDocuments.NameOf(feed);
            settings[prefix + "Source"] = server.UrlOf(feed).AbsoluteUri;
        }

        // Every benchmark feed is on one loopback host, where real feeds are spread over many publishers: the
        // per-host politeness limits (2 in flight, 500 ms apart) would turn the cycle into a queue on that one host.
        settings["Feeds:MaxRequestsPerHost"] = "64";
        settings["Feeds:PerHostMinInterval"] = "00:00:00";

        if (options.Concurrency is { } concurrency)
        {
            settings["Polling:MaxConcurrentPolls"] = concurrency.ToString(CultureInfo.InvariantCulture);
        }

        var dataDirectory = options.DataDirectory ?? Path.Combine(root, "data");
        return ThreatBriefBotHost.Build(new HostSettings(configFile, dataDirectory, HostMode.Command, settings), TextWriter.Null, services =>
        {
            services.AddSingleton(_timings);
            services.AddHttpClient(FeedFetcher.HttpClientName).AddHttpMessageHandler(() => new TimedHttpHandler(_timings));
            Decorate<IItemStore>(services, (sp, inner) => new TimedItemStore(inner, _timings));
            Decorate<IFeedStore>(services, (sp, inner) => new TimedFeedStore(inner, _timings));
            Decorate<IItemClassifier>(services, (sp, inner) => new TimedClassifier(inner, _timings));
        });
    }

    /// <summary>The shipped appsettings.json (copied beside this program with the seeds) with its sample feeds removed.</summary>
    private static JsonObject ShippedConfigurationWithoutFeeds()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")))!.AsObject();
        var classification = json["Classification"]!.AsObject();
        classification["TopicsFile"] = Path.Combine(AppContext.BaseDirectory, "seeds", "topics.json");
        classification["CountriesFile"] = Path.Combine(AppContext.BaseDirectory, "seeds", "countries.json");
        json["Feeds"]!["Items"] = new JsonArray();
        return json;
    }

    /// <summary>Wraps the last registration of <typeparamref name="T"/>, whatever its lifetime's shape (type, factory, instance).</summary>
    private static void Decorate<T>(IServiceCollection services, Func<IServiceProvider, T, T> wrap)
        where T : class
    {
        var original = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(original);
        services.Add(ServiceDescriptor.Describe(typeof(T), sp => wrap(sp, (T)Create(sp, original)), original.Lifetime));
    }

    private static object Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    private void PrintHeader(IHost host, FeedServerProcess server)
    {
        var concurrency = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PollingOptions>>().Value.MaxConcurrentPolls;
        output.WriteLine("ThreatBriefBot poll-cycle benchmark (issue 3)");
        output.Line(
            $"  machine            {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        output.Line(
            $"  run                {options.Feeds} feeds x {options.Items} items, {options.NotModifiedShare:P0} answer 304 in cycle 2, MaxConcurrentPolls {concurrency}, force: true");
        output.Line(
            $"  politeness         per-host limits lifted (MaxRequestsPerHost 64, PerHostMinInterval 0): all feeds share one loopback host");
        output.Line(
            $"  feed server        Kestrel at {server.BaseAddress} in child process {server.Id} (its memory is not in the figures below)");
        output.Line(
            $"  data directory     {options.DataDirectory ?? "a temporary folder, deleted after the run"}");
        output.WriteLine();
    }

    private async Task<CycleFigures> RunCycleAsync(
        string label, FeedPollCycle cycle, IReadOnlyList<FeedDefinition> feeds, FeedServerProcess server, CancellationToken cancellationToken)
    {
        FullCollection();
        _processPeak = Math.Max(_processPeak, CycleFigures.PeakWorkingSetNow());
        var peakIsPerCycle = CycleFigures.TryResetPeakWorkingSet();
        _timings.Reset();
        var servedBefore = await server.StatsAsync(cancellationToken);
        var progress = new Progress(label, feeds.Count);
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var collectionsBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var started = Stopwatch.GetTimestamp();

        var reports = await cycle.RunAsync(feeds, force: true, progress.ReportAsync, cancellationToken);

        var wall = Stopwatch.GetElapsedTime(started);
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var peak = self.PeakWorkingSet64;
        var workingSetAtEnd = self.WorkingSet64;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var collections = (GC.CollectionCount(0) - collectionsBefore.Item1, GC.CollectionCount(1) - collectionsBefore.Item2,
            GC.CollectionCount(2) - collectionsBefore.Item3);
        _processPeak = Math.Max(_processPeak, peak);
        var served = (await server.StatsAsync(cancellationToken)).Since(servedBefore);

        FullCollection();
        self.Refresh();
        return new CycleFigures(label, reports, wall, cpu, peak, peakIsPerCycle, _processPeak, workingSetAtEnd, self.WorkingSet64,
            GC.GetTotalMemory(forceFullCollection: false), allocated, collections, served,
            [.. _timings.All.Select(t => (t.Name, t.Calls, t.Total))]);
    }

    private static void FullCollection()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>A line on stderr at every tenth of the feeds, so a long run shows it is moving.</summary>
    private sealed class Progress(string label, int total)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private int _done;

        public ValueTask ReportAsync(PollReport report, CancellationToken cancellationToken)
        {
            var done = Interlocked.Increment(ref _done);
            var step = Math.Max(1, total / 10);
            if (done % step == 0 || done == total)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [{label[..7]}] {done}/{total} feeds, {Stopwatch.GetElapsedTime(_started).TotalSeconds:0.0} s"));
            }

            return ValueTask.CompletedTask;
        }
    }
}
