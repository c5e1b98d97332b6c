using System.Data.Common;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Storage;
using ThreatBriefBot.Storage.Migrations;
using ThreatBriefBot.Storage.Sql;

namespace ThreatBriefBot.IntegrationTests.Storage;

/// <summary>
/// <see cref="ItemQuery.Text"/> on both providers: every word of the text is a word or word prefix of the title or
/// summary, ignoring case and diacritics (ADR 7); and the same items on SQLite and PostgreSQL.
/// </summary>
public sealed class TextSearchTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly (string Title, string Summary)[] Corpus =
    [
        ("Ransomware gang hits Osaka port", "Container terminals halted for two days."),
        ("RANSOMWARE: hospital in Zürich pays", "The clinic's systems were encrypted overnight."),
        ("Łódź city hall restores services", "After the cyber-attack, e-mail works again."),
        ("Tariffs on steel rise 25%", "Trade ministers meet in São Paulo."),
        ("Heatwave breaks records in Seville", "Emissions targets missed; drought declared."),
        ("Port strike ends", "Dockers in Rotterdam return to work; ransom demands were never the issue."),
        ("C++ library flaw patched", "CVE-2025-1234 lets attackers run code via a crafted file (NEAR zero-click)."),
        ("Naïve résumé scams target job seekers", "Phishing e-mails impersonate recruiters."),
        ("O'Brien's firm sues regulator", "Claims the 'AND' clause of the rule is void: see section 3(b)."),
        ("東京 exchange outage", "Trading halted on the Tokyo exchange for an hour."),
        ("Ransomed data leaked", "Attackers published 40 GB after talks failed."),
        ("Quiet day", "Nothing to report."),
    ];

    private static readonly (string Text, string[] Expected)[] Queries =
    [
        ("ransom", ["Port strike ends", "RANSOMWARE: hospital in Zürich pays", "Ransomed data leaked", "Ransomware gang hits Osaka port"]),
        ("RANSOMWARE osaka", ["Ransomware gang hits Osaka port"]),
        ("zurich", ["RANSOMWARE: hospital in Zürich pays"]),
        ("ZÜRICH", ["RANSOMWARE: hospital in Zürich pays"]),
        ("lodz", ["Łódź city hall restores services"]),
        ("sao paulo", ["Tariffs on steel rise 25%"]),
        ("encrypted", ["RANSOMWARE: hospital in Zürich pays"]),
        ("cyber attack", ["Łódź city hall restores services"]),
        ("cve-2025-1234", ["C++ library flaw patched"]),
        ("naive resume", ["Naïve résumé scams target job seekers"]),
        ("o'brien", ["O'Brien's firm sues regulator"]),
        ("東京", ["東京 exchange outage"]),
        ("exchange", ["東京 exchange outage"]),
        ("ware", []),
        ("ransomware rotterdam", []),
        ("volcano", []),
        ("?!", []),
    ];

    // Query syntax of either engine in untrusted text: each must be plain words, never an operator or an error.
    private static readonly (string Text, string[] Expected)[] HostileQueries =
    [
        ("NEAR(zero click)", ["C++ library flaw patched"]),
        ("ransom OR volcano", []),
        ("AND clause", ["O'Brien's firm sues regulator"]),
        ("-ransom osaka", ["Ransomware gang hits Osaka port"]),
        ("\"osaka", ["Ransomware gang hits Osaka port"]),
        ("'osaka' & !port | x:*", []),
        ("title:osaka", []),
        ("section 3(b)", ["O'Brien's firm sues regulator"]),
        ("c++ flaw \\ * ^ {} ) (", ["C++ library flaw patched"]),
        ("'); DROP TABLE items; --", []),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string[]> QueriesOnEachProvider
    {
        get
        {
            var data = new TheoryData<string, string, string[]>();
            foreach (var provider in (string[])[StorageOptions.SqliteProvider, StorageOptions.PostgreSqlProvider])
            {
                foreach (var (text, expected) in Queries.Concat(HostileQueries))
                {
                    data.Add(provider, text, expected);
                }
            }

            return data;
        }
    }

    [Theory, MemberData(nameof(QueriesOnEachProvider))]
    public async Task FindAsync_Text_MatchesEveryWordAsAWordOrAWordsStart(string provider, string text, string[] expected)
    {
        await using var storage = await TempStorage.CreateAsync(provider);
        var store = storage.Get<IItemStore>();
        await AddCorpusAsync(store);

        Assert.Equal(expected.Order(StringComparer.Ordinal), await TitlesAsync(store, text));
    }

    [Fact]
    public async Task FindAsync_SameCorpusAndQueries_SameItemsInTheSameOrderOnBothProviders()
    {
        await using var sqlite = await TempStorage.CreateAsync(StorageOptions.SqliteProvider);
        await using var postgreSql = await TempStorage.CreateAsync(StorageOptions.PostgreSqlProvider);
        await AddCorpusAsync(sqlite.Get<IItemStore>());
        await AddCorpusAsync(postgreSql.Get<IItemStore>());

        // Every query above, every word and two-letter prefix of the corpus, and pairs of neighbouring words.
        var words = Corpus.SelectMany(c => (c.Title + " " + c.Summary).Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var queries = Queries.Concat(HostileQueries).Select(q => q.Text)
            .Concat(words).Concat(words.Select(w => w.Length > 2 ? w[..2] : w))
            .Concat(words.Zip(words.Skip(1), (a, b) => a + " " + b))
            .Distinct(StringComparer.Ordinal).ToList();
        var matched = 0;
        foreach (var text in queries)
        {
            var query = new ItemQuery(T0, Text: text);
            var fromSqlite = (await sqlite.Get<IItemStore>().FindAsync(query, Ct)).Select(i => i.Title).ToList();
            var fromPostgreSql = (await postgreSql.Get<IItemStore>().FindAsync(query, Ct)).Select(i => i.Title).ToList();
            Assert.True(fromSqlite.SequenceEqual(fromPostgreSql), $"'{text}': SQLite [{string.Join(", ", fromSqlite)}], PostgreSQL [{string.Join(", ", fromPostgreSql)}]");
            matched += fromSqlite.Count > 0 ? 1 : 0;
        }

        Assert.True(matched > queries.Count / 2, $"only {matched} of {queries.Count} queries found anything");
    }

    [Theory, ClassData(typeof(StorageProviders))]
    public async Task MigrateAsync_ItemsStoredBeforeTextSearch_AreFoundByTheirWords(string provider)
    {
        await using var storage = await TempStorage.CreateAsync(provider, migrate: false);
        var dataSource = storage.Get<DbDataSource>();
        var dialect = storage.Get<SqlDialect>();
        await dialect.PrepareDatabaseAsync(dataSource, Ct);
        await using (var connection = await dataSource.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync(dialect.CreateMigrationsTableSql, null, Ct);
            foreach (var script in MigrationScript.Load(dialect.MigrationSuffix).Where(s => s.Version < SearchWordsBackfill.MigrationVersion))
            {
                await connection.ExecuteAsync(script.Sql, null, Ct);
                await using var record = connection.CreateCommand("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @appliedAt)");
                await record.With("@version", script.Version).With("@appliedAt", dialect.ToDbTime(T0)).ExecuteNonQueryAsync(Ct);
            }

            // More than one back-fill page, so the keyset paging is crossed.
            for (var i = 0; i < 1005; i++)
            {
                await using var insert = connection.CreateCommand(
                    "INSERT INTO items (id, story_key, title, link, summary, search_text, published, seen_at) VALUES (@id, @key, @title, NULL, @summary, '', NULL, @seenAt)");
                insert.With("@id", $"old{i:D4}").With("@key", $"key{i}").With("@title", i == 1004 ? "Ransomware in Zürich" : $"Old item {i}")
                    .With("@summary", i == 3 ? "Tokyo exchange halted" : "").With("@seenAt", dialect.ToDbTime(T0));
                await insert.ExecuteNonQueryAsync(Ct);
            }
        }

        await storage.Get<IStorageMigrator>().MigrateAsync(Ct);
        var store = storage.Get<IItemStore>();
        await store.AddAsync(new("f", "guid:new", "New ransom note", null, "", null), new([], new Dictionary<string, double>(), []), T0, Ct);

        Assert.Equal(["Ransomware in Zürich"], await TitlesAsync(store, "zurich ransom"));
        Assert.Equal(["Old item 3"], await TitlesAsync(store, "tokyo"));
        Assert.Equal(["New ransom note", "Ransomware in Zürich"], await TitlesAsync(store, "ransom"));
        Assert.Equal(1004, (await store.FindAsync(new ItemQuery(T0, Text: "old item", Limit: 5000), Ct)).Count);
    }

    private static async Task<List<string>> TitlesAsync(IItemStore store, string text) =>
        [.. (await store.FindAsync(new ItemQuery(T0, Text: text), Ct)).Select(i => i.Title).Order(StringComparer.Ordinal)];

    private static async Task AddCorpusAsync(IItemStore store)
    {
        for (var i = 0; i < Corpus.Length; i++)
        {
            var (title, summary) = Corpus[i];
            await store.AddAsync(
                new("f", "guid:" + i, title, null, summary, T0.AddMinutes(i)),
                new ItemClassification([], new Dictionary<string, double>(), []),
                T0.AddSeconds(i),
                Ct);
        }
    }
}
