using System.Diagnostics;
using System.Reflection;

namespace ThreatBriefBot.DeliveryTests.Harness;

/// <summary>
/// The real worker as its own OS process: <c>dotnet ThreatBriefBot.dll run --config … --data-dir …</c>, started
/// from the host's build output, with stdout and stderr captured. <see cref="KillAsync"/> is SIGKILL: no
/// shutdown code runs, as when a machine loses power or the OOM killer strikes.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SharedWriter _output = new();
    private readonly SharedWriter _error = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private WorkerProcess(Process process) => _process = process;

    /// <summary>ThreatBriefBot.dll in src/ThreatBriefBot's own output folder, with its runtimeconfig and every dependency beside it.</summary>
    public static string HostAssembly { get; } =
        typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "WorkerHost")?.Value is { Length: > 0 } path
            ? path
            : throw new InvalidOperationException("the test assembly does not say where the worker host was built (see AddWorkerHostMetadata in the csproj)");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Since the process was started.</summary>
    public TimeSpan Age => _clock.Elapsed;

    public string Output => _output.ToString();

    public string Error => _error.ToString();

    /// <param name="environment">Laid over this process's environment, after every ThreatBriefBot setting in it is removed.</param>
    public static WorkerProcess Start(string configFile, string dataDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(configFile)!,
        };
        foreach (var argument in (string[])[HostAssembly, "run", "--config", configFile, "--data-dir", dataDirectory])
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the test gives: no token or setting of the machine running the tests leaks in.
        foreach (var key in start.Environment.Keys.Where(IsProductSetting).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => Append(worker._output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(worker._error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>SIGKILL, then waits until the process is gone, so the next worker never meets this one.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }

        await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits at most <paramref name="patience"/> for the process to end by itself; true when it did.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan patience)
    {
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(patience);
            // The asynchronous readers may still hold the last lines; this overload waits for them.
            _process.WaitForExit();
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM (the graceful stop a service manager sends), then SIGKILL when it is not gone within <paramref name="grace"/>.</summary>
    /// <returns>The exit code, or null when it had to be killed.</returns>
    public async Task<int?> StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
            await kill.WaitForExitAsync(CancellationToken.None);
        }

        if (await WaitForExitAsync(grace))
        {
            return _process.ExitCode;
        }

        await KillAsync();
        return null;
    }

    /// <summary>The last lines of stderr, for a failure message.</summary>
    public string ErrorTail(int lines = 30) => string.Join('\n', Error.Split('\n').TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static void Append(SharedWriter writer, string? line)
    {
        if (line is not null)
        {
            writer.WriteLine(line);
        }
    }

    private static bool IsProductSetting(string key) =>
        key.StartsWith("Discord__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Slack__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Storage__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Feeds__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Digests__", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Polling__", StringComparison.OrdinalIgnoreCase)
        || key.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase);

    /// <summary>The dotnet muxer: the one running the tests when it says so, else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
