using System.Globalization;
using ThreatBriefBot.DeliveryTests.Harness;

namespace ThreatBriefBot.DeliveryTests;

/// <summary>Issue 12: a second worker on the same data directory refuses to start, so no digest goes out twice.</summary>
[Collection(WorkerProcesses.Name)]
public sealed class SecondWorkerTests
{
    [Fact]
    public async Task Run_SecondWorkerOnTheSameDataDirectory_RefusesNamingTheHolderAndEachItemIsPostedOnce()
    {
        await using var rig = await DeliveryRig.StartAsync(
            [new FeedPlan("wire", "Second Worker Wire", [NewsWriter.Cyberattacks], Lengthy: false, Cron: "0/1 * * * * ?")],
            [
                new SubscriptionPlan("discord-cyber", Platform.Discord, [NewsWriter.Cyberattacks], "0/2 * * * * ?"),
                new SubscriptionPlan("slack-cyber", Platform.Slack, [NewsWriter.Cyberattacks], "1/2 * * * * ?"),
            ],
            seed: 2);
        var output = TestContext.Current.TestOutputHelper;
        await using var first = rig.StartWorker();
        Assert.True(await rig.StartGrowingAfterFirstPollAsync(first, TimeSpan.FromMilliseconds(500)), "the first worker never polled the feed:\n" + first.ErrorTail());
        Assert.True(
            await Eventually.TrueAsync(() => rig.Channels.All(c => c.Transcript.Count > 0), TimeSpan.FromSeconds(45)),
            "the first worker never posted to both channels:\n" + first.ErrorTail());

        await using var second = rig.StartWorker();
        var refused = await second.WaitForExitAsync(TimeSpan.FromSeconds(30));

        // Two more digest fires of each subscription: whoever posts them, each item must arrive once.
        var before = rig.Channels.Select(c => c.Transcript.Count).ToList();
        await Eventually.TrueAsync(() => rig.Channels.Select((c, i) => c.Transcript.Count - before[i]).All(n => n >= 2), TimeSpan.FromSeconds(20));
        var firstAlive = !first.HasExited;
        int? secondExitCode = refused ? second.ExitCode : null;
        if (!refused)
        {
            await second.KillAsync();
        }

        await rig.StopGrowingAsync();
        var drain = await rig.DrainAsync(first, quiet: TimeSpan.FromSeconds(6), patience: TimeSpan.FromSeconds(30));
        var firstExitCode = await first.StopAsync(TimeSpan.FromSeconds(15));
        var verdicts = rig.Verdicts();
        foreach (var line in rig.Figures(verdicts))
        {
            output?.WriteLine(line);
        }

        output?.WriteLine($"first worker pid {first.Id}; second worker {(refused ? $"exited with {secondExitCode} after {second.Age.TotalSeconds:F1} s" : "was still running after 30 s and was killed")}; drain ended {drain}");
        output?.WriteLine("second worker's stderr:\n" + second.ErrorTail(10));

        Assert.True(refused, "the second worker was still running 30 s after it started on a data directory in use");
        Assert.Equal(2, secondExitCode);
        Assert.Contains("another worker", second.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(rig.DataDirectory, second.Error, StringComparison.Ordinal);
        Assert.Contains(first.Id.ToString(CultureInfo.InvariantCulture), second.Error, StringComparison.Ordinal);
        Assert.True(firstAlive, "the first worker did not keep running:\n" + first.ErrorTail());
        Assert.True(verdicts.All(v => v.Duplicated.Count == 0 && v.Unexpected.Count == 0), string.Join("\n", verdicts.Select(v => v.Details())));
        Assert.Equal(0, firstExitCode);
    }
}
