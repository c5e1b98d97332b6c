using System.Data.Common;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Core.Subscriptions;
using ThreatBriefBot.Storage.Sql;

namespace ThreatBriefBot.Storage.Stores;

internal sealed class SubscriptionStore(DbDataSource dataSource, SqlDialect dialect, TimeProvider timeProvider) : ISubscriptionStore
{
    public async Task SaveAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        if (subscription.FromConfiguration)
        {
            throw new ArgumentException(
                "Only subscriptions made from chat are stored; configured ones stay in configuration.", nameof(subscription));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // A replaced subscription keeps its created_at, so the list keeps its order.
        await using var command = connection.CreateCommand(
            """
            INSERT INTO subscriptions (id, platform, channel_id, topics, countries, cron, time_zone, created_at)
            VALUES (@id, @platform, @channelId, @topics, @countries, @cron, @timeZone, @createdAt)
            ON CONFLICT (id) DO UPDATE SET
                platform = excluded.platform, channel_id = excluded.channel_id, topics = excluded.topics,
                countries = excluded.countries, cron = excluded.cron, time_zone = excluded.time_zone
            """);
        command.With("@id", subscription.Id).With("@platform", subscription.Target.Platform.ToString())
            .With("@channelId", subscription.Target.ChannelId).With("@topics", StorageJsonContext.Serialize(subscription.Topics))
            .With("@countries", StorageJsonContext.Serialize(subscription.Countries)).With("@cron", subscription.Cron)
            .With("@timeZone", subscription.TimeZone).With("@createdAt", dialect.ToDbTime(timeProvider.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand("DELETE FROM subscriptions WHERE id = @id");
        command.With("@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<Subscription>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            "SELECT id, platform, channel_id, topics, countries, cron, time_zone, created_at FROM subscriptions ORDER BY created_at, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var subscriptions = new List<Subscription>();
        while (await reader.ReadAsync(cancellationToken))
        {
            subscriptions.Add(new(
                reader.GetString(0),
                new ChatTarget(Enum.Parse<ChatPlatform>(reader.GetString(1)), reader.GetString(2)),
                StorageJsonContext.Deserialize(reader.GetString(3)),
                StorageJsonContext.Deserialize(reader.GetString(4)),
                reader.GetString(5),
                reader.GetString(6),
                FromConfiguration: false,
                CreatedAt: dialect.GetTime(reader, 7)));
        }

        return subscriptions;
    }

    public async Task PauseAsync(string id, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // A second pause keeps the first time: "paused since" is when the channel first refused.
        await using var command = connection.CreateCommand(
            """
            INSERT INTO subscription_pauses (subscription_id, paused_at, reason) VALUES (@id, @pausedAt, @reason)
            ON CONFLICT (subscription_id) DO UPDATE SET reason = excluded.reason
            """);
        command.With("@id", id).With("@pausedAt", dialect.ToDbTime(timeProvider.GetUtcNow())).With("@reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> ResumeAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand("DELETE FROM subscription_pauses WHERE subscription_id = @id");
        command.With("@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<SubscriptionPause?> GetPauseAsync(string id, CancellationToken cancellationToken) =>
        (await ReadPausesAsync(id, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<SubscriptionPause>> ListPausesAsync(CancellationToken cancellationToken) =>
        ReadPausesAsync(null, cancellationToken);

    private async Task<IReadOnlyList<SubscriptionPause>> ReadPausesAsync(string? id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            $"SELECT subscription_id, paused_at, reason FROM subscription_pauses {(id is null ? "" : "WHERE subscription_id = @id")} ORDER BY paused_at, subscription_id");
        if (id is not null)
        {
            command.With("@id", id);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pauses = new List<SubscriptionPause>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pauses.Add(new(reader.GetString(0), dialect.GetTime(reader, 1), reader.GetString(2)));
        }

        return pauses;
    }
}
