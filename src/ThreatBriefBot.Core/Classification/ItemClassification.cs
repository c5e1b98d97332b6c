namespace ThreatBriefBot.Core.Classification;

/// <summary>What an item is about: its topics (multi-label, with the evidence that decided each) and countries.</summary>
/// <param name="Topics">The topics that apply, best score first; possibly empty.</param>
/// <param name="Scores">A score in [0,1] for every configured topic, applied or not.</param>
/// <param name="Countries">ISO 3166-1 alpha-2 codes, upper case, most mentioned first.</param>
public sealed record ItemClassification(
    IReadOnlyList<TopicMatch> Topics,
    IReadOnlyDictionary<string, double> Scores,
    IReadOnlyList<string> Countries)
{
    public static ItemClassification Empty { get; } =
        new([], new Dictionary<string, double>(StringComparer.Ordinal), []);

    public bool HasTopic(string topic) => Topics.Any(t => string.Equals(t.Topic, topic, StringComparison.Ordinal));

    public double ScoreOf(string topic) => Scores.TryGetValue(topic, out var score) ? score : 0;
}

/// <summary>One applied topic, its score, and the terms or rules that decided it.</summary>
public sealed record TopicMatch(string Topic, double Score, IReadOnlyList<string> Evidence);
