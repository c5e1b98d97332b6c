using System.Globalization;

namespace ThreatBriefBot.Benchmarks;

/// <summary>The command line of both roles: the harness, and (with <c>--serve</c>) the feed server it starts.</summary>
/// <param name="Concurrency">Polling:MaxConcurrentPolls; null keeps the shipped appsettings.json value.</param>
/// <param name="DataDirectory">Null for a temporary folder that is deleted after the run.</param>
/// <param name="Timeout">The whole run is cancelled after this, so it always stops by itself.</param>
internal sealed record BenchmarkOptions(
    int Feeds,
    int Items,
    double NotModifiedShare,
    int? Concurrency,
    string? DataDirectory,
    TimeSpan Timeout,
    bool Serve)
{
    public const string Usage =
        "usage: ThreatBriefBot.Benchmarks [--feeds N] [--items N] [--not-modified-share 0..1] [--concurrency N] " +
        "[--data-dir DIR] [--timeout-minutes N]";

    /// <summary>The options, or null with <paramref name="error"/> set.</summary>
    public static BenchmarkOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new BenchmarkOptions(10_000, 20, 0.8, null, null, TimeSpan.FromMinutes(30), Serve: false);
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--serve")
            {
                options = options with { Serve = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name}: a value is missing";
                return null;
            }

            var value = args[++i];
            options = name switch
            {
                "--feeds" when PositiveInt(value) is { } n => options with { Feeds = n },
                "--items" when PositiveInt(value) is { } n => options with { Items = n },
                "--not-modified-share" when Share(value) is { } s => options with { NotModifiedShare = s },
                "--concurrency" when PositiveInt(value) is { } n => options with { Concurrency = n },
                "--data-dir" when value.Length > 0 => options with { DataDirectory = Path.GetFullPath(value) },
                "--timeout-minutes" when PositiveInt(value) is { } n => options with { Timeout = TimeSpan.FromMinutes(n) },
                _ => null!,
            };
            if (options is null)
            {
                error = $"{name} {value}: unknown option or bad value";
                return null;
            }
        }

        return options;
    }

    private static int? PositiveInt(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    private static double? Share(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 0 and <= 1 ? s : null;
}
