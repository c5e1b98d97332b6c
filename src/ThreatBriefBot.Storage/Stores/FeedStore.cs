using System.Data.Common;
using ThreatBriefBot.Core.Feeds;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Storage.Sql;

namespace ThreatBriefBot.Storage.Stores;

internal sealed class FeedStore(DbDataSource dataSource, SqlDialect dialect, TimeProvider timeProvider) : IFeedStore
{
    private const string PollStateColumns =
        "feed_name, etag, last_modified, last_attempt, last_success, last_error, consecutive_failures, next_poll_at, redirected_to";

    public async Task<bool> AddFeedAsync(FeedDefinition feed, CancellationToken cancellationToken)
    {
        if (feed.FromConfiguration)
        {
            throw new ArgumentException("Only feeds added at run time are stored; configured ones stay in configuration.", nameof(feed));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            "INSERT INTO feeds (name, source, cron, added_at) VALUES (@name, @source, @cron, @addedAt) ON CONFLICT DO NOTHING");
        command.With("@name", feed.Name).With("@source", feed.Source).With("@cron", feed.Cron)
            .With("@addedAt", dialect.ToDbTime(timeProvider.GetUtcNow()));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> RemoveFeedAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand("DELETE FROM feeds WHERE name = @name", transaction);
        command.With("@name", name);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        // A feed added again later starts afresh rather than with a stale ETag or failure count.
        command.CommandText = "DELETE FROM feed_poll_state WHERE feed_name = @name";
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<FeedDefinition>> ListFeedsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand("SELECT name, source, cron FROM feeds ORDER BY added_at, name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var feeds = new List<FeedDefinition>();
        while (await reader.ReadAsync(cancellationToken))
        {
            feeds.Add(new(reader.GetString(0), reader.GetString(1), reader.GetStringOrNull(2), FromConfiguration: false));
        }

        return feeds;
    }

    public async Task<FeedPollState> GetPollStateAsync(string feedName, CancellationToken cancellationToken)
    {
        var states = await ReadPollStatesAsync(feedName, cancellationToken);
        return states.Count > 0 ? states[0] : FeedPollState.New(feedName);
    }

    public Task<IReadOnlyList<FeedPollState>> ListPollStatesAsync(CancellationToken cancellationToken) =>
        ReadPollStatesAsync(null, cancellationToken);

    public async Task SavePollStateAsync(FeedPollState state, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            $"""
            INSERT INTO feed_poll_state ({PollStateColumns})
            VALUES (@feed, @etag, @lastModified, @lastAttempt, @lastSuccess, @lastError, @failures, @nextPollAt, @redirectedTo)
            ON CONFLICT (feed_name) DO UPDATE SET
                etag = excluded.etag, last_modified = excluded.last_modified, last_attempt = excluded.last_attempt,
                last_success = excluded.last_success, last_error = excluded.last_error,
                consecutive_failures = excluded.consecutive_failures, next_poll_at = excluded.next_poll_at,
                redirected_to = excluded.redirected_to
            """);
        command.With("@feed", state.FeedName).With("@etag", state.ETag).With("@lastModified", state.LastModified)
            .With("@lastAttempt", dialect.ToDbTime(state.LastAttempt)).With("@lastSuccess", dialect.ToDbTime(state.LastSuccess))
            .With("@lastError", state.LastError).With("@failures", state.ConsecutiveFailures)
            .With("@nextPollAt", dialect.ToDbTime(state.NextPollAt)).With("@redirectedTo", state.RedirectedTo);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<FeedPollState>> ReadPollStatesAsync(string? feedName, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand(
            $"SELECT {PollStateColumns} FROM feed_poll_state {(feedName is null ? "" : "WHERE feed_name = @feed")} ORDER BY feed_name");
        if (feedName is not null)
        {
            command.With("@feed", feedName);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new List<FeedPollState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add(new(
                reader.GetString(0), reader.GetStringOrNull(1), reader.GetStringOrNull(2), dialect.GetTimeOrNull(reader, 3),
                dialect.GetTimeOrNull(reader, 4), reader.GetStringOrNull(5), reader.GetInt32(6), dialect.GetTimeOrNull(reader, 7),
                reader.GetStringOrNull(8)));
        }

        return states;
    }
}
