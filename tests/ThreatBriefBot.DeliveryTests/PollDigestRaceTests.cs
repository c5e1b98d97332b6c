using System.Diagnostics;
using ThreatBriefBot.DeliveryTests.Harness;

namespace ThreatBriefBot.DeliveryTests;

/// <summary>
/// Issue 12: a poll storing items while a digest is being decided loses none of them. Every feed is polled and
/// every digest fires each second, so for twenty seconds they meet in the same second again and again, while the
/// feeds gain items three times a second.
/// </summary>
[Collection(WorkerProcesses.Name)]
public sealed class PollDigestRaceTests
{
    private static readonly TimeSpan RaceDuration = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Run_PollsAndDigestsFireInTheSameSecondForTwentySeconds_EveryItemPostedExactlyOnce()
    {
        await using var rig = await DeliveryRig.StartAsync(
            [
                new FeedPlan("wire-a", "Race Wire A", [NewsWriter.Cyberattacks], Lengthy: false, Cron: "* * * * * ?"),
                new FeedPlan("wire-b", "Race Wire B", [NewsWriter.Cyberattacks], Lengthy: false, Cron: "* * * * * ?"),
                new FeedPlan("wire-c", "Race Wire C", [NewsWriter.Cyberattacks], Lengthy: false, Cron: "* * * * * ?"),
            ],
            [
                new SubscriptionPlan("discord-cyber", Platform.Discord, [NewsWriter.Cyberattacks], "* * * * * ?"),
                new SubscriptionPlan("slack-cyber", Platform.Slack, [NewsWriter.Cyberattacks], "* * * * * ?"),
            ],
            seed: 3);
        var output = TestContext.Current.TestOutputHelper;
        await using var worker = rig.StartWorker();

        // From the worker's first poll on, so that every item is stored by a poll that can race a digest.
        Assert.True(await rig.StartGrowingAfterFirstPollAsync(worker, TimeSpan.FromMilliseconds(330)), "the worker never polled the feeds:\n" + worker.ErrorTail());
        var race = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => worker.HasExited, RaceDuration);
        await rig.StopGrowingAsync();
        var raced = race.Elapsed;
        var drain = await rig.DrainAsync(worker, quiet: TimeSpan.FromSeconds(5), patience: TimeSpan.FromSeconds(30));
        var exitCode = await worker.StopAsync(TimeSpan.FromSeconds(15));

        var verdicts = rig.Verdicts();
        foreach (var line in rig.Figures(verdicts))
        {
            output?.WriteLine(line);
        }

        output?.WriteLine($"raced {raced.TotalSeconds:F0} s ({rig.GrowingFeeds.Sum(f => f.Answers)} feed answers, {rig.TotalMessages()} digest messages), then drained {race.Elapsed.TotalSeconds - raced.TotalSeconds:F0} s, ended {drain}, exit code {exitCode}");
        Assert.True(drain != DrainEnd.WorkerExited, "the worker ended by itself:\n" + worker.ErrorTail());
        Assert.True(verdicts.All(v => v.ExactlyOnce && v.PartProblems.Count == 0), string.Join("\n", verdicts.Where(v => !v.ExactlyOnce).Select(v => v.Details())));
        Assert.Equal(0, exitCode);
    }
}
