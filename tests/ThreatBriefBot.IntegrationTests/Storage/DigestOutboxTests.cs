using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Core.Storage;

namespace ThreatBriefBot.IntegrationTests.Storage;

public sealed class DigestOutboxTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly ChatTarget Channel = new(ChatPlatform.Slack, "C0123");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DecidedDigest Digest(string subscription, DateTimeOffset fireTime, string[] items, int parts = 2) => new(
        DigestKeys.For(subscription, fireTime), subscription, fireTime, Channel, fireTime.AddSeconds(1), items,
        [.. Enumerable.Range(0, parts).Select(i => new DigestPart(i, $"{{\"part\":{i}}}"))]);

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task TryDecideAsync_SameFireTimeTwice_DecidedOnce(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var outbox = storage.Get<IDigestOutbox>();

        Assert.True(await outbox.TryDecideAsync(Digest("s-1", T0, ["a"]), Ct));
        Assert.False(await outbox.TryDecideAsync(Digest("s-1", T0, ["b"]), Ct));

        Assert.True(await outbox.IsDecidedAsync("s-1", T0, Ct));
        Assert.False(await outbox.IsDecidedAsync("s-1", T0.AddHours(1), Ct));
        var stored = Assert.Single(await outbox.ListUnfinishedAsync("s-1", Ct));
        Assert.Equal(["a"], stored.ItemIds);
        Assert.Equal(0, await storage.CountAsync("delivered_items WHERE item_id = 'b'"));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task TryDecideAsync_ItemClaimedByAnEarlierDigest_NothingStored(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var outbox = storage.Get<IDigestOutbox>();
        Assert.True(await outbox.TryDecideAsync(Digest("s-1", T0, ["a", "b"]), Ct));

        Assert.False(await outbox.TryDecideAsync(Digest("s-1", T0.AddHours(1), ["c", "b"]), Ct));

        // Rolled back whole: neither the digest, its parts, nor its claim on c.
        Assert.False(await outbox.IsDecidedAsync("s-1", T0.AddHours(1), Ct));
        Assert.Equal(2, await storage.CountAsync("delivered_items"));
        Assert.Equal(2, await storage.CountAsync("outbox_parts"));

        // Another subscription may have the same item.
        Assert.True(await outbox.TryDecideAsync(Digest("s-2", T0.AddHours(1), ["b"]), Ct));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task RecordAcceptedAsync_EveryPart_CompletesTheDigestWithReceiptsKept(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var outbox = storage.Get<IDigestOutbox>();
        var digest = Digest("s-1", T0, ["a"], parts: 2);
        await outbox.TryDecideAsync(digest, Ct);

        await outbox.RecordAttemptAsync(digest.Key, 0, T0.AddSeconds(2), Ct);
        await outbox.RecordAcceptedAsync(digest.Key, 0, "1700000000.000100", T0.AddSeconds(3), Ct);
        var halfway = Assert.Single(await outbox.ListUnfinishedAsync("s-1", Ct));
        Assert.Equal(1, halfway.NextPart!.Index);
        Assert.Equal("1700000000.000100", halfway.Parts[0].Receipt);
        Assert.Equal(1, halfway.Parts[0].Attempts);
        Assert.Equal(["s-1"], await outbox.ListSubscriptionsWithUnfinishedAsync(Ct));
        await storage.Get<ISubscriptionStore>().PauseAsync("s-1", "channel archived", Ct);
        Assert.Empty(await outbox.ListSubscriptionsWithUnfinishedAsync(Ct));
        await storage.Get<ISubscriptionStore>().ResumeAsync("s-1", Ct);

        await outbox.RecordAttemptAsync(digest.Key, 1, T0.AddSeconds(4), Ct);
        await outbox.RecordAcceptedAsync(digest.Key, 1, "1700000000.000200", T0.AddSeconds(5), Ct);

        Assert.Empty(await outbox.ListUnfinishedAsync("s-1", Ct));
        Assert.Empty(await outbox.ListSubscriptionsWithUnfinishedAsync(Ct));
        var done = Assert.Single(await outbox.ListRecentAsync("s-1", 5, Ct));
        Assert.Null(done.NextPart);
        Assert.Equal(digest.Target, done.Target);
        Assert.Equal(digest.DecidedAt, done.DecidedAt);
        Assert.Equal(["{\"part\":0}", "{\"part\":1}"], done.Parts.Select(p => p.Body));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task RecordAttemptAsync_NotAccepted_LeavesTheOutcomeUnknownForTheNextTry(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var outbox = storage.Get<IDigestOutbox>();
        var digest = Digest("s-1", T0, ["a"], parts: 1);
        await outbox.TryDecideAsync(digest, Ct);

        await outbox.RecordAttemptAsync(digest.Key, 0, T0.AddSeconds(2), Ct);

        var part = Assert.Single(await outbox.ListUnfinishedAsync("s-1", Ct)).NextPart!;
        Assert.Equal(1, part.Attempts);
        Assert.False(part.Accepted);
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task ListUnfinishedAsync_SeveralDigests_OldestFireTimeFirst(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var outbox = storage.Get<IDigestOutbox>();
        await outbox.TryDecideAsync(Digest("s-1", T0.AddHours(2), ["c"]), Ct);
        await outbox.TryDecideAsync(Digest("s-1", T0, ["a"]), Ct);
        await outbox.TryDecideAsync(Digest("s-1", T0.AddHours(1), ["b"]), Ct);

        Assert.Equal([T0, T0.AddHours(1), T0.AddHours(2)], (await outbox.ListUnfinishedAsync("s-1", Ct)).Select(d => d.FireTime));
        Assert.Equal(T0.AddHours(2), (await outbox.ListRecentAsync("s-1", 1, Ct)).Single().FireTime);
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task GetDeliveryStartAsync_AskedTwice_KeepsTheFirstAnswer(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var outbox = storage.Get<IDigestOutbox>();

        Assert.Equal(T0, await outbox.GetDeliveryStartAsync("s-1", T0, Ct));
        Assert.Equal(T0, await outbox.GetDeliveryStartAsync("s-1", T0.AddDays(1), Ct));
        Assert.Equal(T0.AddDays(1), await outbox.GetDeliveryStartAsync("s-2", T0.AddDays(1), Ct));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task FindAsync_UndeliveredTo_LeavesOutWhatTheSubscriptionWasGiven(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var items = storage.Get<IItemStore>();
        var outbox = storage.Get<IDigestOutbox>();
        foreach (var (title, minutes) in new[] { ("First", 1), ("Second", 2), ("Third", 3) })
        {
            await items.AddAsync(
                new IncomingItem("Wire", title, title, $"https://example.org/{title}", "", null), ItemClassification.Empty, T0.AddMinutes(minutes), Ct);
        }

        var all = await items.FindAsync(new ItemQuery(T0, OldestFirst: true), Ct);
        Assert.Equal(["First", "Second", "Third"], all.Select(i => i.Title));
        await outbox.TryDecideAsync(Digest("s-1", T0, [all[1].Id]), Ct);

        var left = await items.FindAsync(new ItemQuery(T0, UndeliveredTo: "s-1", OldestFirst: true, Limit: 1), Ct);

        Assert.Equal(["First"], left.Select(i => i.Title));
        Assert.Equal(3, (await items.FindAsync(new ItemQuery(T0, UndeliveredTo: "s-2"), Ct)).Count);
    }
}
