using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Core.Storage;

namespace ThreatBriefBot.IntegrationTests.Storage;

public sealed class FeedStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddFeedAsync_NewAndDuplicateName_AddsOnceAndListsInAddedOrder(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IFeedStore>();

        Assert.True(await store.AddFeedAsync(new FeedDefinition("zeta", "https://z.example/rss", null, false), Ct));
        storage.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await store.AddFeedAsync(new FeedDefinition("alpha", "/feeds/a.xml", "0 */5 * * * ?", false), Ct));
        Assert.False(await store.AddFeedAsync(new FeedDefinition("zeta", "https://other.example/rss", null, false), Ct));

        Assert.Equal(
            [new FeedDefinition("zeta", "https://z.example/rss", null, false), new FeedDefinition("alpha", "/feeds/a.xml", "0 */5 * * * ?", false)],
            await store.ListFeedsAsync(Ct));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddFeedAsync_ConfiguredFeed_Throws(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);

        await Assert.ThrowsAsync<ArgumentException>(
            () => storage.Get<IFeedStore>().AddFeedAsync(new FeedDefinition("cfg", "https://x", null, true), Ct));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task RemoveFeedAsync_ExistingAndMissing_RemovesFeedAndItsPollState(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IFeedStore>();
        await store.AddFeedAsync(new FeedDefinition("a", "https://a", null, false), Ct);
        await store.SavePollStateAsync(FeedPollState.New("a") with { ETag = "\"1\"" }, Ct);

        Assert.True(await store.RemoveFeedAsync("a", Ct));
        Assert.False(await store.RemoveFeedAsync("a", Ct));
        Assert.False(await store.RemoveFeedAsync("never", Ct));

        Assert.Empty(await store.ListFeedsAsync(Ct));
        Assert.Equal(FeedPollState.New("a"), await store.GetPollStateAsync("a", Ct));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task GetPollStateAsync_NeverSaved_ReturnsNew(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);

        Assert.Equal(FeedPollState.New("x"), await storage.Get<IFeedStore>().GetPollStateAsync("x", Ct));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task SavePollStateAsync_SaveThenReplace_RoundTripsLatest(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IFeedStore>();
        var attempt = new DateTimeOffset(2025, 3, 1, 9, 15, 30, 250, TimeSpan.FromHours(2));
        var first = new FeedPollState("cisa", "\"abc\"", "Sat, 01 Mar 2025 07:00:00 GMT", attempt, attempt, null, 0);
        var failed = first with { LastAttempt = attempt.AddMinutes(15), LastError = "HTTP 503", ConsecutiveFailures = 1, ETag = null };

        await store.SavePollStateAsync(first, Ct);
        Assert.Equal(first, await store.GetPollStateAsync("cisa", Ct));
        await store.SavePollStateAsync(failed, Ct);
        await store.SavePollStateAsync(FeedPollState.New("bleeping"), Ct);

        Assert.Equal(failed, await store.GetPollStateAsync("cisa", Ct));
        Assert.Equal([FeedPollState.New("bleeping"), failed], await store.ListPollStatesAsync(Ct));
    }
}
