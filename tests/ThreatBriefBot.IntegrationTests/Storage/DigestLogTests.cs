using ThreatBriefBot.Core.Storage;

namespace ThreatBriefBot.IntegrationTests.Storage;

public sealed class DigestLogTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryRecordAsync_SameSubscriptionAndFireTime_RecordsOnce()
    {
        await using var storage = await TempStorage.CreateAsync();
        var log = storage.Get<IDigestLog>();

        Assert.True(await log.TryRecordAsync(Record("s-1", T0, ["a", "b"]), Ct));
        Assert.False(await log.TryRecordAsync(Record("s-1", T0, ["c"]), Ct));
        Assert.True(await log.TryRecordAsync(Record("s-2", T0, ["c"]), Ct));

        Assert.Equal(["a", "b"], (await log.GetLastAsync("s-1", Ct))!.ItemIds);
    }

    [Fact]
    public async Task GetLastAsync_SeveralRecords_ReturnsNewestWindowEndWithEveryField()
    {
        await using var storage = await TempStorage.CreateAsync();
        var log = storage.Get<IDigestLog>();
        var newest = Record("s-1", T0.AddDays(1), ["x", "y"]) with { SentAt = T0.AddDays(1).AddMilliseconds(1234) };
        await log.TryRecordAsync(newest, Ct);
        await log.TryRecordAsync(Record("s-1", T0, ["old"]), Ct);
        await log.TryRecordAsync(Record("s-2", T0.AddDays(2), ["other"]), Ct);

        var last = await log.GetLastAsync("s-1", Ct);

        Assert.NotNull(last);
        Assert.Equal(newest with { ItemIds = [] }, last with { ItemIds = [] });
        Assert.Equal(newest.ItemIds, last.ItemIds);
    }

    [Fact]
    public async Task GetLastAsync_NothingSent_ReturnsNull()
    {
        await using var storage = await TempStorage.CreateAsync();

        Assert.Null(await storage.Get<IDigestLog>().GetLastAsync("s-1", Ct));
    }

    private static DigestRecord Record(string subscriptionId, DateTimeOffset fireTime, string[] itemIds) =>
        new(subscriptionId, fireTime, fireTime.AddDays(-1), fireTime, fireTime.AddSeconds(3), itemIds);
}
