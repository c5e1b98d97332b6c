using System.Data.Common;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Storage.Sql;

namespace ThreatBriefBot.Storage.Stores;

internal sealed class DigestLog(DbDataSource dataSource, SqlDialect dialect) : IDigestLog
{
    public async Task<DigestRecord?> GetLastAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            """
            SELECT fire_time, window_start, window_end, sent_at, item_ids FROM digests WHERE subscription_id = @id
            ORDER BY window_end DESC, fire_time DESC LIMIT 1
            """);
        command.With("@id", subscriptionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DigestRecord(
                subscriptionId, dialect.GetTime(reader, 0), dialect.GetTime(reader, 1), dialect.GetTime(reader, 2),
                dialect.GetTime(reader, 3), StorageJsonContext.Deserialize(reader.GetString(4)))
            : null;
    }

    public async Task<bool> TryRecordAsync(DigestRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            """
            INSERT INTO digests (subscription_id, fire_time, window_start, window_end, sent_at, item_ids)
            VALUES (@id, @fireTime, @windowStart, @windowEnd, @sentAt, @itemIds)
            ON CONFLICT DO NOTHING
            """);
        command.With("@id", record.SubscriptionId).With("@fireTime", dialect.ToDbTime(record.FireTime))
            .With("@windowStart", dialect.ToDbTime(record.WindowStart)).With("@windowEnd", dialect.ToDbTime(record.WindowEnd))
            .With("@sentAt", dialect.ToDbTime(record.SentAt)).With("@itemIds", StorageJsonContext.Serialize(record.ItemIds));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
