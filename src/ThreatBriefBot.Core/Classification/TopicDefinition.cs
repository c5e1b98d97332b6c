namespace ThreatBriefBot.Core.Classification;

/// <summary>A configured topic as people see it (the <c>topics</c> chat command).</summary>
/// <param name="Threshold">The score in [0,1] from which the topic applies.</param>
public sealed record TopicDefinition(string Name, string Description, double Threshold)
{
    /// <summary>Other words people use for the topic in a query ("cyber", "ransomware", "tariffs").</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
