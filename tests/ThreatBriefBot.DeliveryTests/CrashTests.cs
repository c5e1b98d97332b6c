using System.Diagnostics;
using System.Globalization;
using ThreatBriefBot.DeliveryTests.Harness;

namespace ThreatBriefBot.DeliveryTests;

/// <summary>
/// Issue 12: every matching item reaches its channel exactly once, however often the worker is killed. The real
/// worker runs as a process against the fakes of Discord and Slack while its feeds grow; it is SIGKILLed at 32
/// points (after a post, between the parts of a digest, during start-up, at random) and restarted on the same data
/// directory each time. Then the feeds stop growing, the last worker runs until all is delivered, and every channel
/// is checked item by item.
/// </summary>
[Collection(WorkerProcesses.Name)]
public sealed class CrashTests
{
    private const int Kills = 32;

    private static readonly KillPoint[] Rotation = [KillPoint.AfterPost, KillPoint.BetweenParts, KillPoint.DuringStartUp, KillPoint.AfterPost, KillPoint.AtRandom];

    [Fact]
    public async Task Run_KilledAtRandomPointsAndRestarted_EveryItemPostedExactlyOnceWithPartsInOrder()
    {
        var seed = Environment.GetEnvironmentVariable("THREATBRIEFBOT_CRASH_SEED") is { } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        await using var rig = await DeliveryRig.StartAsync(
            [
                new FeedPlan("wire", "Crash Test Wire", [NewsWriter.Cyberattacks], Lengthy: false, Cron: "0/2 * * * * ?"),
                new FeedPlan("review", "The Extended Review of Security, Environmental and Commercial Affairs for Northern Readers", NewsWriter.Topics, Lengthy: true, Cron: "1/2 * * * * ?"),
            ],
            [
                new SubscriptionPlan("discord-cyber", Platform.Discord, [NewsWriter.Cyberattacks], "0/2 * * * * ?"),
                new SubscriptionPlan("slack-cyber", Platform.Slack, [NewsWriter.Cyberattacks], "1/2 * * * * ?"),
                new SubscriptionPlan("discord-all", Platform.Discord, NewsWriter.Topics, "0/5 * * * * ?", Large: true),
                new SubscriptionPlan("slack-all", Platform.Slack, NewsWriter.Topics, "2/5 * * * * ?", Large: true),
            ],
            seed);
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"seed {seed} (set THREATBRIEFBOT_CRASH_SEED to replay the same kill points and items)");

        var killPoints = new KillPoints(rig, random);
        var reached = new List<KillPoint>();
        var unexpectedExits = new List<string>();
        for (var i = 0; i < Kills; i++)
        {
            await using var worker = rig.StartWorker();
            if (i == 0)
            {
                await rig.StartGrowingAfterFirstPollAsync(worker, TimeSpan.FromMilliseconds(700));
            }

            var point = await killPoints.WaitForAsync(worker, Rotation[i % Rotation.Length]);
            if (worker.HasExited)
            {
                unexpectedExits.Add($"run {i + 1} exited by itself with code {worker.ExitCode} after {worker.Age.TotalSeconds:F1} s:\n{worker.ErrorTail()}");
                continue;
            }

            await worker.KillAsync();
            reached.Add(point);
        }

        await rig.StopGrowingAsync();
        var lastWorker = rig.StartWorker();
        DrainEnd drain;
        int? exitCode;
        await using (lastWorker)
        {
            drain = await rig.DrainAsync(lastWorker, quiet: TimeSpan.FromSeconds(15), patience: TimeSpan.FromSeconds(60));
            exitCode = await lastWorker.StopAsync(TimeSpan.FromSeconds(15));
        }

        var verdicts = rig.Verdicts();
        foreach (var line in rig.Figures(verdicts))
        {
            output?.WriteLine(line);
        }

        output?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"kills {reached.Count} ({string.Join(", ", reached.GroupBy(p => p).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}), unexpected exits {unexpectedExits.Count}, drain ended {drain}, last worker exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "none (killed)"}, wall time {clock.Elapsed.TotalSeconds:F0} s"));

        Assert.True(unexpectedExits.Count == 0, "a restarted worker ended by itself:\n" + string.Join("\n\n", unexpectedExits));
        Assert.True(reached.Count >= 30, $"only {reached.Count} kills");
        Assert.True(drain != DrainEnd.WorkerExited, "the last worker ended by itself:\n" + lastWorker.ErrorTail());
        Assert.True(rig.GrowingFeeds.All(f => f.Served().Count == f.Count), "the last worker was never sent every feed's last version, so the expectation is incomplete");
        Assert.True(verdicts.All(v => v.ExactlyOnce && v.PartProblems.Count == 0), string.Join("\n", verdicts.Where(v => !v.ExactlyOnce || v.PartProblems.Count > 0).Select(v => v.Details())));
        Assert.Equal(0, exitCode);
        Assert.Empty(rig.DiscordServer.SchemaViolations);
        Assert.Empty(rig.SlackServer.SchemaViolations);
    }
}
