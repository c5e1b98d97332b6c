using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Storage;

namespace ThreatBriefBot.Core.Commands;

/// <summary>The answer to a brief query: what it was understood as, and the digest.</summary>
/// <param name="Error">Set when the query matched nothing and named nothing known; <paramref name="Suggestions"/> then says what might.</param>
public sealed record BriefResult(BriefQuery Query, Digest Digest, string? Error, IReadOnlyList<string> Suggestions)
{
    /// <summary>The answer in chat: the digest, or why there is none.</summary>
    public ChatReply ToReply()
    {
        if (Error is not null)
        {
            return new ChatReply($"Sorry: {Error}. Try: {string.Join(", ", Suggestions)}.", Ephemeral: true, IsError: true);
        }

        return Digest.IsEmpty
            ? new ChatReply($"No items for {Digest.Title["Brief: ".Length..]} since {Digest.Since:yyyy-MM-dd HH:mm} UTC.")
            : new ChatReply(Digest.Title, Digest);
    }
}

/// <summary>Builds on-demand digests: the <c>/brief</c> chat command and the <c>brief</c> CLI verb.</summary>
public sealed class BriefService(
    IItemStore items,
    BriefQueryResolver resolver,
    IItemClassifier classifier,
    ICountryResolver countries,
    IOptions<DigestOptions> options,
    TimeProvider timeProvider)
{
    /// <summary>The section for items in none of the configured topics: a brief shows everything it found.</summary>
    public const string OtherSection = "other";

    public async Task<BriefResult> BriefAsync(string query, BriefSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var resolved = resolver.Resolve(query);
        var until = timeProvider.GetUtcNow();
        var since = until - (settings.Window ?? options.Value.BriefWindow);
        var topics = settings.Topics is { Count: > 0 } ? settings.Topics : resolved.Topics;

        if (resolved.Raw.Length == 0 && topics.Count == 0)
        {
            return Fail(resolved, since, until, "the query is empty: name a country, a topic or a keyword");
        }

        var found = await items.FindAsync(
            new ItemQuery(since, until, topics, resolved.AllCountries, resolved.Text),
            cancellationToken);

        var sectionTopics = topics.Count > 0 ? topics : classifier.TopicNames;
        var digest = DigestBuilder.Build(
            new DigestRequest(
                Title: $"Brief: {Describe(resolved, topics)}",
                since,
                until,
                sectionTopics,
                resolved.AllCountries,
                settings.Limit ?? options.Value.MaxItemsPerTopic,
                OtherSection: topics.Count > 0 ? null : OtherSection),
            found);

        // A query that named nothing known and matched no text is most likely a typo: say what it could have meant.
        if (digest.IsEmpty && resolved.IsTextOnly && settings.Topics is not { Count: > 0 })
        {
            return Fail(resolved, since, until, $"nothing matches '{resolved.Raw}': it is not a country, region or topic, and no item in the window contains it");
        }

        return new BriefResult(resolved with { Topics = topics }, digest, null, []);
    }

    private BriefResult Fail(BriefQuery query, DateTimeOffset since, DateTimeOffset until, string error) =>
        new(query, new Digest($"Brief: {query.Raw}", since, until, []), error, resolver.Suggest(query.Raw));

    private string Describe(BriefQuery query, IReadOnlyList<string> topics)
    {
        var parts = query.Countries.Select(countries.NameOf)
            .Concat(query.Regions)
            .Concat(topics)
            .Append(query.Text is null ? null : $"\"{query.Text}\"")
            .OfType<string>()
            .ToList();
        return parts.Count > 0 ? string.Join(", ", parts) : query.Raw;
    }
}

/// <summary>Overrides for one brief; null means the configured default.</summary>
public sealed record BriefSettings(TimeSpan? Window = null, IReadOnlyList<string>? Topics = null, int? Limit = null);
