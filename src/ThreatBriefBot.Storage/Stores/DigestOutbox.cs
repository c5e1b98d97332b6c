using System.Data.Common;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Storage.Sql;

namespace ThreatBriefBot.Storage.Stores;

/// <summary>
/// The outbox in portable SQL. Exclusivity rests on keys, not on reads: the unique (subscription, fire time) decides a
/// fire time once, and the key on (subscription, item) lets one digest claim an item; a decision that would break
/// either is rolled back whole.
/// </summary>
internal sealed class DigestOutbox(DbDataSource dataSource, SqlDialect dialect) : IDigestOutbox
{
    public async Task<DateTimeOffset> GetDeliveryStartAsync(string subscriptionId, DateTimeOffset proposed, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var insert = connection.CreateCommand(
            "INSERT INTO delivery_starts (subscription_id, starts_at) VALUES (@id, @startsAt) ON CONFLICT DO NOTHING"))
        {
            insert.With("@id", subscriptionId).With("@startsAt", dialect.ToDbTime(proposed));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = connection.CreateCommand("SELECT starts_at FROM delivery_starts WHERE subscription_id = @id");
        select.With("@id", subscriptionId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? dialect.GetTime(reader, 0) : proposed;
    }

    public async Task<bool> TryDecideAsync(DecidedDigest digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digest);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var insert = connection.CreateCommand(
            """
            INSERT INTO outbox_digests (digest_key, subscription_id, fire_time, platform, channel_id, decided_at, item_count, part_count)
            VALUES (@key, @subscription, @fireTime, @platform, @channel, @decidedAt, @itemCount, @partCount)
            ON CONFLICT DO NOTHING
            """,
            transaction))
        {
            insert.With("@key", digest.Key).With("@subscription", digest.SubscriptionId).With("@fireTime", dialect.ToDbTime(digest.FireTime))
                .With("@platform", digest.Target.Platform.ToString()).With("@channel", digest.Target.ChannelId)
                .With("@decidedAt", dialect.ToDbTime(digest.DecidedAt)).With("@itemCount", digest.ItemIds.Count)
                .With("@partCount", digest.Parts.Count);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await using (var part = connection.CreateCommand(
            "INSERT INTO outbox_parts (digest_key, part_index, body) VALUES (@key, @index, @body)", transaction))
        {
            part.With("@key", digest.Key).With("@index", null).With("@body", null);
            foreach (var p in digest.Parts)
            {
                part.Set("@index", p.Index);
                part.Set("@body", p.Body);
                await part.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var claim = connection.CreateCommand(
            "INSERT INTO delivered_items (subscription_id, item_id, digest_key) VALUES (@subscription, @item, @key) ON CONFLICT DO NOTHING",
            transaction))
        {
            claim.With("@subscription", digest.SubscriptionId).With("@key", digest.Key).With("@item", null);
            foreach (var item in digest.ItemIds)
            {
                claim.Set("@item", item);
                if (await claim.ExecuteNonQueryAsync(cancellationToken) == 0)
                {
                    // Another digest of this subscription took the item after it was selected: decide again from scratch.
                    return false;
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> IsDecidedAsync(string subscriptionId, DateTimeOffset fireTime, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            "SELECT 1 FROM outbox_digests WHERE subscription_id = @subscription AND fire_time = @fireTime");
        command.With("@subscription", subscriptionId).With("@fireTime", dialect.ToDbTime(fireTime));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public Task<IReadOnlyList<DecidedDigest>> ListUnfinishedAsync(string subscriptionId, CancellationToken cancellationToken) =>
        ReadDigestsAsync(
            "WHERE subscription_id = @subscription AND completed_at IS NULL ORDER BY fire_time",
            command => command.With("@subscription", subscriptionId),
            cancellationToken);

    public Task<IReadOnlyList<DecidedDigest>> ListRecentAsync(string subscriptionId, int limit, CancellationToken cancellationToken) =>
        ReadDigestsAsync(
            "WHERE subscription_id = @subscription ORDER BY fire_time DESC LIMIT @limit",
            command => command.With("@subscription", subscriptionId).With("@limit", limit),
            cancellationToken);

    public async Task<IReadOnlyList<string>> ListSubscriptionsWithUnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            """
            SELECT DISTINCT subscription_id FROM outbox_digests
            WHERE completed_at IS NULL AND subscription_id NOT IN (SELECT subscription_id FROM subscription_pauses)
            ORDER BY subscription_id
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task RecordAttemptAsync(string digestKey, int index, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            "UPDATE outbox_parts SET attempts = attempts + 1, last_attempt = @at WHERE digest_key = @key AND part_index = @index");
        command.With("@key", digestKey).With("@index", index).With("@at", dialect.ToDbTime(at));
        EnsureOne(await command.ExecuteNonQueryAsync(cancellationToken), digestKey, index);
    }

    public async Task RecordAcceptedAsync(string digestKey, int index, string? receipt, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var part = connection.CreateCommand(
            "UPDATE outbox_parts SET receipt = @receipt, accepted_at = @at WHERE digest_key = @key AND part_index = @index",
            transaction))
        {
            part.With("@key", digestKey).With("@index", index).With("@receipt", receipt).With("@at", dialect.ToDbTime(at));
            EnsureOne(await part.ExecuteNonQueryAsync(cancellationToken), digestKey, index);
        }

        // The last part accepted completes the digest, in the same transaction, so "unfinished" is never stale.
        await using (var digest = connection.CreateCommand(
            """
            UPDATE outbox_digests SET completed_at = @at
            WHERE digest_key = @key AND completed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM outbox_parts p WHERE p.digest_key = @key AND p.accepted_at IS NULL)
            """,
            transaction))
        {
            digest.With("@key", digestKey).With("@at", dialect.ToDbTime(at));
            await digest.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static void EnsureOne(int rows, string digestKey, int index)
    {
        if (rows != 1)
        {
            throw new InvalidOperationException($"The outbox has no part {index} of digest {digestKey}.");
        }
    }

    private async Task<IReadOnlyList<DecidedDigest>> ReadDigestsAsync(
        string whereAndOrder, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = new List<DigestRow>();
        await using (var command = connection.CreateCommand(
            "SELECT digest_key, subscription_id, fire_time, platform, channel_id, decided_at FROM outbox_digests " + whereAndOrder))
        {
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new(
                    reader.GetString(0), reader.GetString(1), dialect.GetTime(reader, 2),
                    new ChatTarget(Enum.Parse<ChatPlatform>(reader.GetString(3)), reader.GetString(4)), dialect.GetTime(reader, 5)));
            }
        }

        var digests = new List<DecidedDigest>(rows.Count);
        foreach (var row in rows)
        {
            digests.Add(new DecidedDigest(
                row.Key, row.SubscriptionId, row.FireTime, row.Target, row.DecidedAt,
                await ReadItemIdsAsync(connection, row.Key, cancellationToken),
                await ReadPartsAsync(connection, row.Key, cancellationToken)));
        }

        return digests;
    }

    private static async Task<IReadOnlyList<string>> ReadItemIdsAsync(DbConnection connection, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand("SELECT item_id FROM delivered_items WHERE digest_key = @key ORDER BY item_id");
        command.With("@key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private async Task<IReadOnlyList<DigestPart>> ReadPartsAsync(DbConnection connection, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(
            "SELECT part_index, body, attempts, receipt, accepted_at FROM outbox_parts WHERE digest_key = @key ORDER BY part_index");
        command.With("@key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var parts = new List<DigestPart>();
        while (await reader.ReadAsync(cancellationToken))
        {
            parts.Add(new(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.GetStringOrNull(3), dialect.GetTimeOrNull(reader, 4)));
        }

        return parts;
    }

    private sealed record DigestRow(string Key, string SubscriptionId, DateTimeOffset FireTime, ChatTarget Target, DateTimeOffset DecidedAt);
}
