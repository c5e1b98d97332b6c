using System.Data.Common;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Core.Storage;

namespace ThreatBriefBot.IntegrationTests.Storage;

public sealed class ItemStoreTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_NewEntry_AddedAndContained(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();

        var outcome = await store.AddAsync(Item("feed-a", "Ransomware hits port"), Classified(), T0, Ct);

        Assert.Equal(ItemStoreOutcome.Added, outcome);
        Assert.True(await store.ContainsEntryAsync("feed-a", "guid:Ransomware hits port", Ct));
        Assert.False(await store.ContainsEntryAsync("feed-b", "guid:Ransomware hits port", Ct));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_SameEntryAgain_AlreadySeenAndNothingChanges(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("feed-a", "Ransomware hits port"), Classified(), T0, Ct);

        var outcome = await store.AddAsync(Item("feed-a", "Ransomware hits port"), Classified(), T0.AddHours(1), Ct);

        Assert.Equal(ItemStoreOutcome.AlreadySeen, outcome);
        var stored = Assert.Single(await store.FindAsync(new ItemQuery(T0), Ct));
        Assert.Equal(T0, stored.SeenAt);
        Assert.Equal(["feed-a"], stored.Sources);
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_SameEntryWithChangedLink_AlreadySeenAndNoSecondStory(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("feed-a", "Ransomware hits port"), Classified(), T0, Ct);

        var outcome = await store.AddAsync(
            Item("feed-a", "Ransomware hits port") with { Link = "https://example.com/moved" }, Classified(), T0, Ct);

        Assert.Equal(ItemStoreOutcome.AlreadySeen, outcome);
        Assert.Equal(1L, await storage.CountAsync("items"));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_SameStoryFromOtherFeeds_MergedWithSourcesInFirstSeenOrder(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("feed-b", "Story", link: "https://www.example.com/a?utm_source=x"), Classified(), T0, Ct);

        var second = await store.AddAsync(Item("feed-c", "Story, retitled", link: "http://example.com/a/"), Classified(), T0.AddMinutes(5), Ct);
        var third = await store.AddAsync(Item("feed-a", "Story", link: "https://example.com/a"), Classified(), T0.AddMinutes(10), Ct);

        Assert.Equal(ItemStoreOutcome.MergedIntoStory, second);
        Assert.Equal(ItemStoreOutcome.MergedIntoStory, third);
        var stored = Assert.Single(await store.FindAsync(new ItemQuery(T0), Ct));
        Assert.Equal("Story", stored.Title);
        Assert.Equal(["feed-b", "feed-c", "feed-a"], stored.Sources);
        Assert.Equal(T0, stored.SeenAt);
        Assert.Equal(ItemIdentity.StoryId(ItemIdentity.StoryKey("https://example.com/a", "Story")), stored.Id);
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_ManyConcurrentPollersOfOneStory_StoresExactlyOneStory(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();

        // 8 feeds, each delivering the same entry from 4 racing tasks.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(
            () => store.AddAsync(Item($"feed-{i % 8}", "Same story", link: "https://example.com/same"), Classified(), T0, Ct), Ct)));

        Assert.Equal(1, outcomes.Count(o => o == ItemStoreOutcome.Added));
        Assert.Equal(7, outcomes.Count(o => o == ItemStoreOutcome.MergedIntoStory));
        Assert.Equal(24, outcomes.Count(o => o == ItemStoreOutcome.AlreadySeen));
        Assert.Equal(1L, await storage.CountAsync("items"));
        Assert.Equal(8L, await storage.CountAsync("item_sources"));
        Assert.Equal(2L, await storage.CountAsync("item_topics"));
        Assert.Equal(8, Assert.Single(await store.FindAsync(new ItemQuery(T0), Ct)).Sources.Count);
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task AddAsync_FailureMidTransaction_LeavesNothingWritten(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();

        // Stands in for a crash: items, sources and topics are written, then the countries insert fails.
        await storage.ScalarAsync(storage.IsPostgreSql
            ? """
              CREATE FUNCTION fail_countries() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$;
              CREATE TRIGGER fail_countries BEFORE INSERT ON item_countries FOR EACH ROW EXECUTE FUNCTION fail_countries();
              """
            : "CREATE TRIGGER fail_countries BEFORE INSERT ON item_countries BEGIN SELECT RAISE(ABORT, 'boom'); END");

        await Assert.ThrowsAnyAsync<DbException>(() => store.AddAsync(Item("feed-a", "Doomed"), Classified(), T0, Ct));

        foreach (var table in new[] { "items", "item_sources", "item_topics", "item_countries" })
        {
            Assert.Equal(0L, await storage.CountAsync(table));
        }

        await storage.ScalarAsync(storage.IsPostgreSql ? "DROP TRIGGER fail_countries ON item_countries" : "DROP TRIGGER fail_countries");
        Assert.Equal(ItemStoreOutcome.Added, await store.AddAsync(Item("feed-a", "Doomed"), Classified(), T0, Ct));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task FindAsync_StoredItem_RoundTripsEveryField(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        // Microseconds: PostgreSQL's timestamptz keeps no finer (SQLite's text would keep ticks).
        var published = new DateTimeOffset(2025, 2, 28, 23, 30, 15, 123, TimeSpan.FromHours(-5)).AddTicks(4560);
        var classification = new ItemClassification(
            [
                new TopicMatch("ransomware", 0.9, ["lockbit", "encrypted \"files\""]),
                new TopicMatch("infrastructure", 0.55, ["port"]),
            ],
            new Dictionary<string, double>(StringComparer.Ordinal) { ["ransomware"] = 0.9, ["infrastructure"] = 0.55, ["phishing"] = 0.1, ["espionage"] = 0 },
            ["JP", "US", "DE"]);
        var incoming = new IncomingItem("feed-a", "guid:1", "Zürich port hit", "https://example.com/z", "Ünïcode summary", published);

        await store.AddAsync(incoming, classification, T0.AddMilliseconds(7), Ct);

        var stored = Assert.Single(await store.FindAsync(new ItemQuery(T0), Ct));
        Assert.Equal(ItemIdentity.StoryId(incoming.StoryKey), stored.Id);
        Assert.Equal(incoming.Title, stored.Title);
        Assert.Equal(incoming.Link, stored.Link);
        Assert.Equal(incoming.Summary, stored.Summary);
        Assert.Equal(published, stored.Published);
        Assert.Equal(T0.AddMilliseconds(7), stored.SeenAt);
        Assert.Equal(["feed-a"], stored.Sources);
        Assert.Equal(["ransomware", "infrastructure"], stored.Classification.Topics.Select(t => t.Topic));
        Assert.Equal(["lockbit", "encrypted \"files\""], stored.Classification.Topics[0].Evidence);
        Assert.Equal(["port"], stored.Classification.Topics[1].Evidence);
        Assert.Equal(0.55, stored.Classification.Topics[1].Score);
        Assert.Equal(classification.Scores.OrderBy(s => s.Key), stored.Classification.Scores.OrderBy(s => s.Key));
        Assert.Equal(["JP", "US", "DE"], stored.Classification.Countries);
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task FindAsync_NoLinkNoPublishedNoTopics_RoundTripsEmpty(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(new IncomingItem("feed-a", "hash:1", "Bare", null, "", null), ItemClassification.Empty, T0, Ct);

        var stored = Assert.Single(await store.FindAsync(new ItemQuery(T0), Ct));

        Assert.Null(stored.Link);
        Assert.Null(stored.Published);
        Assert.Empty(stored.Classification.Topics);
        Assert.Empty(stored.Classification.Scores);
        Assert.Empty(stored.Classification.Countries);
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task FindAsync_TopicFilter_MatchesAppliedTopicsOnly(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("f", "one"), Classified(topic: "ransomware", unapplied: "phishing"), T0, Ct);
        await store.AddAsync(Item("f", "two"), Classified(topic: "phishing", unapplied: "ransomware"), T0, Ct);
        await store.AddAsync(Item("f", "three"), Classified(topic: "espionage", unapplied: "ransomware"), T0, Ct);

        var found = await store.FindAsync(new ItemQuery(T0, Topics: ["ransomware", "phishing"]), Ct);

        Assert.Equal(["one", "two"], found.Select(i => i.Title).Order(StringComparer.Ordinal));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task FindAsync_CountryFilter_MatchesAnyOfTheCountries(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("f", "one"), Classified(countries: ["JP", "US"]), T0, Ct);
        await store.AddAsync(Item("f", "two"), Classified(countries: ["DE"]), T0, Ct);
        await store.AddAsync(Item("f", "three"), Classified(countries: []), T0, Ct);

        var found = await store.FindAsync(new ItemQuery(T0, Countries: ["US", "DE"], Topics: ["ransomware"]), Ct);

        Assert.Equal(["one", "two"], found.Select(i => i.Title).Order(StringComparer.Ordinal));
    }

    // Text is searched by words since ADR 7, no longer as a substring: "50%" is the word 50, so it finds "50 percent"
    // too, which is what a reader asking for 50% means; "my_func" is the words my and func.
    [Theory, ClassData(typeof(StorageProviders))]
    public async Task FindAsync_TextWithPunctuation_MatchesItsWordsIgnoringCaseAndDiacritics(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("f", "Prices up 50% in ZÜRICH"), Classified(), T0, Ct);
        await store.AddAsync(Item("f", "Prices up 50 percent"), Classified(), T0, Ct);
        await store.AddAsync(Item("f", "Bug in my_func", summary: "path C:\\temp"), Classified(), T0, Ct);
        await store.AddAsync(Item("f", "Bug in myXfunc"), Classified(), T0, Ct);

        Assert.Equal(
            ["Prices up 50 percent", "Prices up 50% in ZÜRICH"],
            (await store.FindAsync(new ItemQuery(T0, Text: "50%"), Ct)).Select(i => i.Title).Order(StringComparer.Ordinal));
        Assert.Equal(["Prices up 50% in ZÜRICH"], (await store.FindAsync(new ItemQuery(T0, Text: "zurich"), Ct)).Select(i => i.Title));
        Assert.Equal(["Bug in my_func"], (await store.FindAsync(new ItemQuery(T0, Text: "MY_FUNC"), Ct)).Select(i => i.Title));
        Assert.Equal(["Bug in my_func"], (await store.FindAsync(new ItemQuery(T0, Text: "c:\\TEMP"), Ct)).Select(i => i.Title));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task FindAsync_SinceAndBefore_SelectBySeenAtHalfOpen(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        for (var hour = 0; hour < 4; hour++)
        {
            await store.AddAsync(Item("f", $"h{hour}"), Classified(), T0.AddHours(hour), Ct);
        }

        var found = await store.FindAsync(new ItemQuery(T0.AddHours(1), SeenBefore: T0.AddHours(3)), Ct);
        var since = await store.FindAsync(new ItemQuery(T0.AddHours(2)), Ct);

        Assert.Equal(["h2", "h1"], found.Select(i => i.Title));
        Assert.Equal(["h3", "h2"], since.Select(i => i.Title));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task FindAsync_Limit_ReturnsNewestByPublishedElseSeenAt(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(Item("f", "seen-late-published-early", published: T0.AddDays(-3)), Classified(), T0.AddHours(5), Ct);
        await store.AddAsync(Item("f", "unpublished-seen-at-2h"), Classified(), T0.AddHours(2), Ct);
        await store.AddAsync(Item("f", "published-1h", published: T0.AddHours(1)), Classified(), T0.AddHours(3), Ct);
        await store.AddAsync(Item("f", "published-4h", published: T0.AddHours(4)), Classified(), T0, Ct);

        var all = await store.FindAsync(new ItemQuery(T0), Ct);
        var top2 = await store.FindAsync(new ItemQuery(T0, Limit: 2), Ct);

        Assert.Equal(["published-4h", "unpublished-seen-at-2h", "published-1h", "seen-late-published-early"], all.Select(i => i.Title));
        Assert.Equal(["published-4h", "unpublished-seen-at-2h"], top2.Select(i => i.Title));
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task FindAsync_MoreItemsThanOneDetailBatch_LoadsEveryItemsDetails(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        for (var i = 0; i < 1200; i++)
        {
            await store.AddAsync(Item("f", $"item {i}"), Classified(countries: ["FR"]), T0.AddSeconds(i), Ct);
        }

        var found = await store.FindAsync(new ItemQuery(T0, Limit: 5000), Ct);

        Assert.Equal(1200, found.Count);
        Assert.All(found, i => Assert.Equal(["f"], i.Sources));
        Assert.All(found, i => Assert.Equal(["FR"], i.Classification.Countries));
    }

    private static IncomingItem Item(
        string feed, string title, string? link = null, string summary = "", DateTimeOffset? published = null) =>
        new(feed, "guid:" + title, title, link, summary, published);

    private static ItemClassification Classified(
        string topic = "ransomware", string unapplied = "phishing", IReadOnlyList<string>? countries = null) =>
        new(
            [new TopicMatch(topic, 0.8, ["evidence"])],
            new Dictionary<string, double>(StringComparer.Ordinal) { [topic] = 0.8, [unapplied] = 0.2 },
            countries ?? ["JP"]);
}
