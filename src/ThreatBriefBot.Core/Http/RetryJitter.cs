namespace ThreatBriefBot.Core.Http;

/// <summary>
/// The random draw (in [0, 1)) that spreads retry delays so many clients do not retry in step; a service, so tests
/// can fix it and know every delay.
/// </summary>
public sealed class RetryJitter(Func<double> randomizer)
{
    public static RetryJitter Shared { get; } = new(Random.Shared.NextDouble);

    public Func<double> Randomizer { get; } = randomizer;
}
