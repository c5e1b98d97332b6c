using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Core.Storage;

namespace ThreatBriefBot.IntegrationTests.Storage;

/// <summary>Identity and de-duplication through the real store: entries within a feed, stories across feeds.</summary>
public sealed class NearDuplicateTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private const string Title = "Ransomware gang hits Port of Nagoya, halting container terminals";

    private const string Summary =
        "A ransomware attack on the Port of Nagoya has halted operations at all five container terminals, Japan's busiest "
        + "port said on Thursday. Officials said the LockBit group claimed responsibility and that loading would resume "
        + "within two days. Trucks queued for kilometres outside the gates while staff restored systems from backups. "
        + "The port handles about a tenth of Japan's total trade and is the main export hub for Toyota, whose assembly "
        + "lines in the region depend on parts arriving just in time. A similar outage in 2023 stopped the terminals for "
        + "nearly three days. The national police agency said it was investigating with the cabinet's cyber security "
        + "centre and had asked other ports to check their systems for signs of the same intrusion.";

    private const string Boilerplate =
        "The post appeared first on Maritime Security Wire. Subscribe to our newsletter for daily briefings on threats to "
        + "shipping, ports and logistics, delivered every morning to your inbox.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_SameStoryInThreeFeedsUnderOtherLinksLightlyEdited_OneStoryWithThreeSources(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();

        var first = await store.AddAsync(Item("wire", "https://wire.example/nagoya-port", Title, Summary), Classified(), T0, Ct);
        var second = await store.AddAsync(
            Item("asia-desk", "https://asia.example/2025/03/01/port-attack", "Ransomware Gang Hits Port of Nagoya — Halting Container Terminals", Summary + " (Reuters)"),
            Classified(),
            T0.AddMinutes(20),
            Ct);
        var third = await store.AddAsync(
            Item("briefing", "https://briefing.example/p/4411", "UPDATE: ransomware gang hits Port of Nagoya; halting container terminals", Summary),
            Classified(),
            T0.AddHours(5),
            Ct);

        Assert.Equal([ItemStoreOutcome.Added, ItemStoreOutcome.MergedIntoStory, ItemStoreOutcome.MergedIntoStory], [first, second, third]);
        var stored = Assert.Single(await store.FindAsync(new ItemQuery(T0), Ct));
        Assert.Equal(["wire", "asia-desk", "briefing"], stored.Sources);
        Assert.Equal("https://wire.example/nagoya-port", stored.Link);
        Assert.Equal(3L, await storage.CountAsync("item_sources"));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_SameStoryUnderEightLinksAtOnce_OneStory(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();

        // Each add runs on its own pooled connection: only the item-write lock keeps two of them from each missing the
        // other's uncommitted story in the near-duplicate lookup.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(
            () => store.AddAsync(Item($"feed-{i}", $"https://site{i}.example/port-attack", Title, Summary), Classified(), T0, Ct), Ct)));

        Assert.Equal(1, outcomes.Count(o => o == ItemStoreOutcome.Added));
        Assert.Equal(1L, await storage.CountAsync("items"));
        Assert.Equal(8L, await storage.CountAsync("item_sources"));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_NearDuplicateRepolled_AlreadySeen(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("wire", "https://wire.example/nagoya-port", Title, Summary), Classified(), T0, Ct);
        var copy = Item("asia-desk", "https://asia.example/port-attack", Title, Summary + " (Reuters)");
        await store.AddAsync(copy, Classified(), T0.AddMinutes(20), Ct);

        Assert.True(await store.ContainsEntryAsync("asia-desk", copy.EntryKey, Ct));
        Assert.Equal(ItemStoreOutcome.AlreadySeen, await store.AddAsync(copy, Classified(), T0.AddHours(1), Ct));
        Assert.Equal(2L, await storage.CountAsync("item_sources"));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_RepublishedUnderSameGuidWithNewDateAndTweakedTitle_AlreadySeenAndStoryUnchanged(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        var original = Item("wire", "https://wire.example/nagoya-port", Title, Summary, guid: "wire-8812") with { Published = T0.AddHours(-1) };
        await store.AddAsync(original, Classified(), T0, Ct);

        var republished = Item("wire", "https://wire.example/nagoya-port?ref=update", Title + " (updated)", Summary, guid: "wire-8812")
            with { Published = T0.AddHours(6) };

        Assert.Equal(original.EntryKey, republished.EntryKey);
        Assert.True(await store.ContainsEntryAsync("wire", republished.EntryKey, Ct));
        Assert.Equal(ItemStoreOutcome.AlreadySeen, await store.AddAsync(republished, Classified(), T0.AddHours(6), Ct));
        var stored = Assert.Single(await store.FindAsync(new ItemQuery(T0), Ct));
        Assert.Equal(Title, stored.Title);
        Assert.Equal(T0.AddHours(-1), stored.Published);
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_NoGuidLinkRepolledInAnotherSpelling_AlreadySeen(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("wire", "http://www.x.example/a/?utm_source=rss", "Port hit", "", guid: null), Classified(), T0, Ct);

        var again = Item("wire", "https://x.example/a", "Port hit, retitled", "now with a summary", guid: null);

        Assert.True(await store.ContainsEntryAsync("wire", again.EntryKey, Ct));
        Assert.Equal(ItemStoreOutcome.AlreadySeen, await store.AddAsync(again, Classified(), T0.AddHours(1), Ct));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_TwoStoriesOnOneSubjectWithSharedBoilerplate_TwoStories(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        var nagoya = Item(
            "maritime",
            "https://maritime.example/nagoya",
            "Ransomware halts Nagoya container terminals",
            "A ransomware attack on the Port of Nagoya halted all five container terminals on Thursday; the LockBit group "
            + "claimed it and loading is to resume within two days. " + Boilerplate);
        var rotterdam = Item(
            "maritime",
            "https://maritime.example/rotterdam",
            "Ransomware delays Rotterdam customs clearance",
            "Customs clearance at Rotterdam was delayed for a day after ransomware encrypted a broker's servers on Monday; "
            + "no group has claimed it and ships were diverted to Antwerp. " + Boilerplate);

        Assert.Equal(ItemStoreOutcome.Added, await store.AddAsync(nagoya, Classified(), T0, Ct));
        Assert.Equal(ItemStoreOutcome.Added, await store.AddAsync(rotterdam, Classified(), T0.AddMinutes(5), Ct));
        Assert.Equal(2L, await storage.CountAsync("items"));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_NearDuplicateOutsideTheWindow_NewStory(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("wire", "https://wire.example/nagoya-port", Title, Summary), Classified(), T0, Ct);

        var late = await store.AddAsync(
            Item("archive", "https://archive.example/nagoya", Title, Summary), Classified(), T0.AddDays(3).AddMinutes(1), Ct);
        var inWindow = await store.AddAsync(
            Item("digest", "https://digest.example/nagoya", Title, Summary), Classified(), T0.AddDays(3).AddMinutes(-1), Ct);

        Assert.Equal(ItemStoreOutcome.Added, late);
        Assert.Equal(ItemStoreOutcome.MergedIntoStory, inWindow);
        Assert.Equal(2L, await storage.CountAsync("items"));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_Disabled_NoTextMatching(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider, settings: new Dictionary<string, string?> { ["Deduplication:Enabled"] = "false" });
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("wire", "https://wire.example/nagoya-port", Title, Summary), Classified(), T0, Ct);

        var sameText = await store.AddAsync(Item("asia-desk", "https://asia.example/port-attack", Title, Summary), Classified(), T0, Ct);
        var sameLink = await store.AddAsync(Item("briefing", "https://www.wire.example/nagoya-port/", "Other title", ""), Classified(), T0, Ct);

        Assert.Equal(ItemStoreOutcome.Added, sameText);
        Assert.Equal(ItemStoreOutcome.MergedIntoStory, sameLink);
        Assert.Equal(2L, await storage.CountAsync("items"));
        Assert.IsType<long>(await storage.ScalarAsync("SELECT fingerprint FROM items WHERE link = 'https://asia.example/port-attack'"));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_LargerConfiguredDistance_MergesWhatTheDefaultKeepsApart(string provider)
    {
        var edited = Summary.Replace("busiest", "largest", StringComparison.Ordinal).Replace("Trucks", "Lorries", StringComparison.Ordinal);
        var distance = StoryFingerprint.Compute(Title, Summary)!.Value.DistanceTo(StoryFingerprint.Compute(Title, edited)!.Value);
        Assert.InRange(distance, 4, StoryFingerprint.MaxSearchableDistance);

        foreach (var (maxDistance, expected) in new[] { (3, ItemStoreOutcome.Added), (distance, ItemStoreOutcome.MergedIntoStory) })
        {
            await using var storage = await TempStorage.CreateAsync(
                provider,
                settings: new Dictionary<string, string?> { ["Deduplication:NearDuplicateMaxDistance"] = maxDistance.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            var store = storage.Get<IItemStore>();
            await store.AddAsync(Item("wire", "https://wire.example/nagoya-port", Title, Summary), Classified(), T0, Ct);

            Assert.Equal(expected, await store.AddAsync(Item("asia-desk", "https://asia.example/port-attack", Title, edited), Classified(), T0, Ct));
        }
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_ShortTextsUnderOtherLinks_NeverMatchedByText(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("wire", "https://wire.example/1", "Port of Nagoya hit by ransomware", ""), Classified(), T0, Ct);

        var outcome = await store.AddAsync(Item("asia-desk", "https://asia.example/2", "Port of Nagoya hit by ransomware", ""), Classified(), T0, Ct);

        Assert.Equal(ItemStoreOutcome.Added, outcome);
        Assert.Equal(0L, await storage.ScalarAsync("SELECT COUNT(fingerprint) FROM items"));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_StoryStoredBeforeFingerprints_JoinedByLinkOnly(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("wire", "https://wire.example/nagoya-port", Title, Summary), Classified(), T0, Ct);
        await storage.ScalarAsync(
            "UPDATE items SET fingerprint = NULL, fingerprint_band0 = NULL, fingerprint_band1 = NULL, fingerprint_band2 = NULL, fingerprint_band3 = NULL");

        var sameText = await store.AddAsync(Item("asia-desk", "https://asia.example/port-attack", Title, Summary), Classified(), T0, Ct);
        var sameLink = await store.AddAsync(Item("briefing", "http://wire.example/nagoya-port", Title, Summary), Classified(), T0, Ct);

        Assert.Equal(ItemStoreOutcome.Added, sameText);
        Assert.Equal(ItemStoreOutcome.MergedIntoStory, sameLink);
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_ManyConcurrentFeedsWithOneTextUnderOtherLinks_StoresExactlyOneStory(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();

        // 8 feeds, each its own link, each delivering the entry from 4 racing tasks.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(
            () => store.AddAsync(Item($"feed-{i % 8}", $"https://outlet{i % 8}.example/story", Title, Summary), Classified(), T0, Ct), Ct)));

        Assert.Equal(1, outcomes.Count(o => o == ItemStoreOutcome.Added));
        Assert.Equal(7, outcomes.Count(o => o == ItemStoreOutcome.MergedIntoStory));
        Assert.Equal(24, outcomes.Count(o => o == ItemStoreOutcome.AlreadySeen));
        Assert.Equal(1L, await storage.CountAsync("items"));
        Assert.Equal(8, Assert.Single(await store.FindAsync(new ItemQuery(T0), Ct)).Sources.Count);
    }

    private static IncomingItem Item(string feed, string link, string title, string summary, string? guid = "") =>
        new(feed, ItemIdentity.EntryKey(guid == "" ? feed + ":" + link : guid, link, title, summary), title, link, summary, null);

    private static ItemClassification Classified() =>
        new([new TopicMatch("ransomware", 0.8, ["ransomware"])], new Dictionary<string, double>(StringComparer.Ordinal) { ["ransomware"] = 0.8 }, ["JP"]);
}
