using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Core.Subscriptions;

namespace ThreatBriefBot.IntegrationTests.Storage;

public sealed class SubscriptionStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task SaveAsync_NewThenReplaced_ListsLatestInCreatedOrder(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<ISubscriptionStore>();
        var first = Subscription("s-1", ChatPlatform.Discord, ["ransomware", "espionage"], ["JP", "KR"]);
        var second = Subscription("s-0", ChatPlatform.Slack, ["phishing"], []);

        await store.SaveAsync(first, Ct);
        storage.Time.Advance(TimeSpan.FromMinutes(1));
        await store.SaveAsync(second, Ct);
        storage.Time.Advance(TimeSpan.FromMinutes(1));
        var replaced = first with { Topics = ["ransomware"], Countries = [], Cron = "0 30 7 * * ?", TimeZone = "Asia/Tokyo" };
        await store.SaveAsync(replaced, Ct);

        var listed = await store.ListAsync(Ct);

        Assert.Equal(["s-1", "s-0"], listed.Select(s => s.Id));
        AssertSame(replaced, listed[0]);
        AssertSame(second, listed[1]);
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task RemoveAsync_ExistingAndMissing_TrueOnlyForExisting(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<ISubscriptionStore>();
        await store.SaveAsync(Subscription("s-1", ChatPlatform.Console, ["ransomware"], []), Ct);

        Assert.True(await store.RemoveAsync("s-1", Ct));
        Assert.False(await store.RemoveAsync("s-1", Ct));
        Assert.Empty(await store.ListAsync(Ct));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task SaveAsync_ConfiguredSubscription_Throws(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);

        await Assert.ThrowsAsync<ArgumentException>(
            () => storage.Get<ISubscriptionStore>().SaveAsync(
                Subscription("cfg", ChatPlatform.Discord, ["x"], []) with { FromConfiguration = true }, Ct));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task PauseAsync_TwiceThenResume_KeepsFirstTimeLatestReasonAndResumesOnce(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<ISubscriptionStore>();
        var pausedAt = storage.Time.GetUtcNow();

        await store.PauseAsync("cfg-japan", "discord:1 refused (10003)", Ct);
        storage.Time.Advance(TimeSpan.FromHours(1));
        await store.PauseAsync("cfg-japan", "discord:1 refused (50013)", Ct);

        var pause = await store.GetPauseAsync("cfg-japan", Ct);
        Assert.Equal(new SubscriptionPause("cfg-japan", pausedAt, "discord:1 refused (50013)"), pause);
        Assert.Equal([pause!], await store.ListPausesAsync(Ct));
        Assert.Null(await store.GetPauseAsync("other", Ct));
        Assert.True(await store.ResumeAsync("cfg-japan", Ct));
        Assert.False(await store.ResumeAsync("cfg-japan", Ct));
        Assert.Empty(await store.ListPausesAsync(Ct));
    }

    private static Subscription Subscription(string id, ChatPlatform platform, string[] topics, string[] countries) =>
        new(id, new ChatTarget(platform, "C" + id), topics, countries, "0 0 8 * * ?", "Europe/Zurich", FromConfiguration: false);

    // Records compare lists by reference, so compare them element-wise.
    private static void AssertSame(Subscription expected, Subscription actual)
    {
        Assert.Equal(expected with { Topics = [], Countries = [] }, actual with { Topics = [], Countries = [], CreatedAt = null });
        Assert.NotNull(actual.CreatedAt);
        Assert.Equal(expected.Topics, actual.Topics);
        Assert.Equal(expected.Countries, actual.Countries);
    }
}
