using System.Data.Common;
using ThreatBriefBot.Storage.Search;
using ThreatBriefBot.Storage.Sql;

namespace ThreatBriefBot.Storage.Migrations;

/// <summary>
/// Migration 0006's step in code: SQL cannot fold words as <see cref="SearchWords"/> does (PostgreSQL's unaccent needs a
/// superuser), so before the script runs this fills the temporary table <c>item_search_words(id, words)</c> that the
/// script copies into <c>items.search_words</c>. It runs in the migration's transaction: all of it or none.
/// </summary>
internal static class SearchWordsBackfill
{
    public const int MigrationVersion = 6;

    // Keyset pages keep memory flat on a large database; one reader is open at a time, as Npgsql requires.
    private const int PageSize = 1000;

    public static async Task PrepareAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(
            "CREATE TEMPORARY TABLE item_search_words (id TEXT NOT NULL PRIMARY KEY, words TEXT NOT NULL)", transaction, cancellationToken);

        await using var insert = connection.CreateCommand(
            "INSERT INTO item_search_words (id, words) VALUES (@id, @words)", transaction);
        insert.With("@id", null).With("@words", null);

        var after = "";
        while (true)
        {
            var page = new List<(string Id, string Words)>(PageSize);
            await using (var select = connection.CreateCommand(
                "SELECT id, title, summary FROM items WHERE id > @after ORDER BY id LIMIT @limit", transaction))
            {
                select.With("@after", after).With("@limit", PageSize);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add((reader.GetString(0), SearchWords.OfItem(reader.GetString(1), reader.GetString(2))));
                }
            }

            foreach (var (id, words) in page)
            {
                insert.Set("@id", id);
                insert.Set("@words", words);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            if (page.Count < PageSize)
            {
                return;
            }

            after = page[^1].Id;
        }
    }
}
