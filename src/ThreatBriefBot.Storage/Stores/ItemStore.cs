using System.Data.Common;
using System.Text;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Items;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Storage.Search;
using ThreatBriefBot.Storage.Sql;

namespace ThreatBriefBot.Storage.Stores;

internal sealed class ItemStore(DbDataSource dataSource, SqlDialect dialect, IOptions<DeduplicationOptions> deduplication) : IItemStore
{
    // Keeps IN lists well under every engine's parameter limit, whatever the query's Limit.
    private const int DetailBatchSize = 500;

    public async Task<bool> ContainsEntryAsync(string feedName, string entryKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            "SELECT 1 FROM item_sources WHERE feed_name = @feed AND entry_key = @entry");
        command.With("@feed", feedName).With("@entry", entryKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<ItemStoreOutcome> AddAsync(
        IncomingItem item, ItemClassification classification, DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        var storyKey = item.StoryKey;
        var id = ItemIdentity.StoryId(storyKey);
        var fingerprint = item.Fingerprint;
        var options = deduplication.Value;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // Nothing is stored between the near-duplicate lookup and the inserts: SQLite's transaction holds its one write
        // lock, PostgreSQL's takes an advisory lock. Without it one story could be stored twice under two links in a
        // race, never an entry twice: the inserts below lean on unique keys for that.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await dialect.SerializeItemWritesAsync(connection, transaction, cancellationToken);

        // The story's own key wins over a near-duplicate, so only a key not stored yet looks for one.
        var nearDuplicate = options.Enabled && fingerprint is { } print && !await StoryExistsAsync(connection, transaction, id, cancellationToken)
            ? await FindNearDuplicateAsync(
                connection, transaction, print, seenAt - options.NearDuplicateWindow, options.NearDuplicateMaxDistance, cancellationToken)
            : null;

        // Both inserts lean on unique keys, so racing pollers cannot both store one story key or one entry:
        // the loser's insert does nothing, and its row count says what happened.
        var storyInserted = 0;
        if (nearDuplicate is null)
        {
            await using var insertItem = connection.CreateCommand(
                """
                INSERT INTO items (id, story_key, title, link, summary, search_words, published, seen_at,
                    fingerprint, fingerprint_band0, fingerprint_band1, fingerprint_band2, fingerprint_band3)
                VALUES (@id, @storyKey, @title, @link, @summary, @searchWords, @published, @seenAt,
                    @fingerprint, @band0, @band1, @band2, @band3)
                ON CONFLICT DO NOTHING
                """,
                transaction);
            insertItem.With("@id", id).With("@storyKey", storyKey).With("@title", item.Title).With("@link", item.Link)
                .With("@summary", item.Summary).With("@searchWords", SearchWords.OfItem(item.Title, item.Summary))
                .With("@published", dialect.ToDbTime(item.Published)).With("@seenAt", dialect.ToDbTime(seenAt))
                .With("@fingerprint", fingerprint is { } stored ? unchecked((long)stored.Value) : null);
            for (var band = 0; band < StoryFingerprint.BandCount; band++)
            {
                insertItem.With($"@band{band}", fingerprint?.Band(band));
            }

            storyInserted = await insertItem.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var insertSource = connection.CreateCommand(
            """
            INSERT INTO item_sources (item_id, feed_name, entry_key, seen_at) VALUES (@id, @feed, @entry, @seenAt)
            ON CONFLICT DO NOTHING
            """,
            transaction))
        {
            insertSource.With("@id", nearDuplicate ?? id).With("@feed", item.FeedName).With("@entry", item.EntryKey)
                .With("@seenAt", dialect.ToDbTime(seenAt));
            if (await insertSource.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                // Rolling back also drops a story this entry would only now have created (its key changed since).
                return ItemStoreOutcome.AlreadySeen;
            }
        }

        if (storyInserted == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return ItemStoreOutcome.MergedIntoStory;
        }

        await InsertTopicsAsync(connection, transaction, id, classification, cancellationToken);
        await InsertCountriesAsync(connection, transaction, id, classification.Countries, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ItemStoreOutcome.Added;
    }

    public async Task<IReadOnlyList<StoredItem>> FindAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await FindRowsAsync(connection, query, cancellationToken);
        var details = rows.ToDictionary(r => r.Id, _ => new ItemDetails(), StringComparer.Ordinal);
        foreach (var batch in details.Keys.Chunk(DetailBatchSize))
        {
            await ReadSourcesAsync(connection, batch, details, cancellationToken);
            await ReadTopicsAsync(connection, batch, details, cancellationToken);
            await ReadCountriesAsync(connection, batch, details, cancellationToken);
        }

        return rows.ConvertAll(r =>
        {
            var d = details[r.Id];
            return new StoredItem(
                r.Id, r.Title, r.Link, r.Summary, r.Published, r.SeenAt, d.Sources, new(d.Topics, d.Scores, d.Countries));
        });
    }

    private static async Task<bool> StoryExistsAsync(
        DbConnection connection, DbTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("SELECT 1 FROM items WHERE id = @id", transaction);
        command.With("@id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// The story first stored since <paramref name="since"/> whose fingerprint is nearest this one, within
    /// <paramref name="maxDistance"/> bits; null when there is none. The band indexes narrow the stories down to
    /// those that could be that near, and the distance is then checked here.
    /// </summary>
    private async Task<string?> FindNearDuplicateAsync(
        DbConnection connection,
        DbTransaction transaction,
        StoryFingerprint fingerprint,
        DateTimeOffset since,
        int maxDistance,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("", transaction);
        var probes = fingerprint.BandProbes(maxDistance);
        var bands = string.Join(
            " OR ", probes.Select((values, band) => $"fingerprint_band{band} IN ({command.WithList($"band{band}_", values)})"));
        command.CommandText = $"SELECT id, fingerprint FROM items WHERE seen_at >= @since AND ({bands}) ORDER BY seen_at, id";
        command.With("@since", dialect.ToDbTime(since));

        string? nearest = null;
        var nearestDistance = maxDistance + 1;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var distance = fingerprint.DistanceTo(new StoryFingerprint(unchecked((ulong)reader.GetInt64(1))));
            if (distance < nearestDistance)
            {
                (nearest, nearestDistance) = (reader.GetString(0), distance);
            }
        }

        return nearest;
    }

    private static async Task InsertTopicsAsync(
        DbConnection connection, DbTransaction transaction, string id, ItemClassification classification, CancellationToken cancellationToken)
    {
        // One row per topic: every score, plus evidence for the applied ones (their score is the match's).
        var applied = classification.Topics.DistinctBy(t => t.Topic).ToDictionary(t => t.Topic, StringComparer.Ordinal);
        var topics = classification.Scores.Keys.Union(applied.Keys, StringComparer.Ordinal);

        await using var command = connection.CreateCommand(
            "INSERT INTO item_topics (item_id, topic, score, evidence, applied) VALUES (@id, @topic, @score, @evidence, @applied)",
            transaction);
        command.With("@id", id).With("@topic", null).With("@score", null).With("@evidence", null).With("@applied", null);
        foreach (var topic in topics)
        {
            var match = applied.GetValueOrDefault(topic);
            command.Set("@topic", topic);
            command.Set("@score", match?.Score ?? classification.Scores[topic]);
            command.Set("@evidence", match is null ? null : StorageJsonContext.Serialize(match.Evidence));
            command.Set("@applied", match is not null);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task InsertCountriesAsync(
        DbConnection connection, DbTransaction transaction, string id, IReadOnlyList<string> countries, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(
            "INSERT INTO item_countries (item_id, country, rank) VALUES (@id, @country, @rank)", transaction);
        command.With("@id", id).With("@country", null).With("@rank", null);
        var rank = 0;
        foreach (var country in countries.Distinct(StringComparer.Ordinal))
        {
            command.Set("@country", country);
            command.Set("@rank", rank++);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task<List<ItemRow>> FindRowsAsync(DbConnection connection, ItemQuery query, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("");
        var sql = new StringBuilder(
            "SELECT i.id, i.title, i.link, i.summary, i.published, i.seen_at FROM items i WHERE i.seen_at >= @since");
        command.With("@since", dialect.ToDbTime(query.SeenSince));
        if (query.SeenBefore is { } before)
        {
            sql.Append(" AND i.seen_at < @before");
            command.With("@before", dialect.ToDbTime(before));
        }

        if (query.PublishedSince is { } published)
        {
            sql.Append(" AND COALESCE(i.published, i.seen_at) >= @publishedSince");
            command.With("@publishedSince", dialect.ToDbTime(published));
        }

        if (query.Topics is { Count: > 0 } topics)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM item_topics t WHERE t.item_id = i.id AND t.applied AND t.topic IN (")
                .Append(command.WithList("topic", topics)).Append("))");
        }

        if (query.Countries is { Count: > 0 } countries)
        {
            sql.Append(" AND EXISTS (SELECT 1 FROM item_countries c WHERE c.item_id = i.id AND c.country IN (")
                .Append(command.WithList("country", countries)).Append("))");
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var terms = SearchWords.Fold(query.Text);
            if (terms.Count == 0)
            {
                // Only punctuation: no word to look for, so no item has it.
                return [];
            }

            sql.Append(" AND ").Append(dialect.TextMatchCondition("@text"));
            command.With("@text", dialect.ToTextMatch(terms));
        }

        if (query.UndeliveredTo is { } subscription)
        {
            sql.Append(" AND NOT EXISTS (SELECT 1 FROM delivered_items d WHERE d.subscription_id = @undeliveredTo AND d.item_id = i.id)");
            command.With("@undeliveredTo", subscription);
        }

        sql.Append(query.OldestFirst
            ? " ORDER BY i.seen_at, i.id LIMIT @limit"
            : " ORDER BY COALESCE(i.published, i.seen_at) DESC, i.seen_at DESC, i.id LIMIT @limit");
        command.With("@limit", query.Limit);
        command.CommandText = sql.ToString();

        var rows = new List<ItemRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new(
                reader.GetString(0), reader.GetString(1), reader.GetStringOrNull(2), reader.GetString(3),
                dialect.GetTimeOrNull(reader, 4), dialect.GetTime(reader, 5)));
        }

        return rows;
    }

    private static async Task ReadSourcesAsync(
        DbConnection connection, string[] ids, Dictionary<string, ItemDetails> details, CancellationToken cancellationToken)
    {
        // A feed that carried the story under two entry keys is one source, placed where it first appeared.
        await using var command = connection.CreateCommand("");
        command.CommandText =
            $"""
            SELECT item_id, feed_name, MIN(seen_at) AS first_seen FROM item_sources
            WHERE item_id IN ({command.WithList("id", ids)})
            GROUP BY item_id, feed_name ORDER BY item_id, first_seen, feed_name
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            details[reader.GetString(0)].Sources.Add(reader.GetString(1));
        }
    }

    private static async Task ReadTopicsAsync(
        DbConnection connection, string[] ids, Dictionary<string, ItemDetails> details, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("");
        command.CommandText =
            $"""
            SELECT item_id, topic, score, evidence, applied FROM item_topics
            WHERE item_id IN ({command.WithList("id", ids)}) ORDER BY item_id, score DESC, topic
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var item = details[reader.GetString(0)];
            var topic = reader.GetString(1);
            var score = reader.GetDouble(2);
            item.Scores[topic] = score;
            if (reader.GetBoolean(4))
            {
                item.Topics.Add(new(topic, score, reader.IsDBNull(3) ? [] : StorageJsonContext.Deserialize(reader.GetString(3))));
            }
        }
    }

    private static async Task ReadCountriesAsync(
        DbConnection connection, string[] ids, Dictionary<string, ItemDetails> details, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("");
        command.CommandText =
            $"SELECT item_id, country FROM item_countries WHERE item_id IN ({command.WithList("id", ids)}) ORDER BY item_id, rank";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            details[reader.GetString(0)].Countries.Add(reader.GetString(1));
        }
    }

    private sealed record ItemRow(string Id, string Title, string? Link, string Summary, DateTimeOffset? Published, DateTimeOffset SeenAt);

    private sealed class ItemDetails
    {
        public List<string> Sources { get; } = [];

        public List<TopicMatch> Topics { get; } = [];

        public Dictionary<string, double> Scores { get; } = new(StringComparer.Ordinal);

        public List<string> Countries { get; } = [];
    }
}
