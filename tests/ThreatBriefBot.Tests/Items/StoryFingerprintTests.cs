using ThreatBriefBot.Core.Items;

namespace ThreatBriefBot.Tests.Items;

public class StoryFingerprintTests
{
    private const string Title = "Ransomware gang hits Port of Nagoya, halting container terminals";

    private const string Summary =
        "A ransomware attack on the Port of Nagoya has halted operations at all five container terminals, Japan's busiest "
        + "port said on Thursday. Officials said the LockBit group claimed responsibility and that loading would resume "
        + "within two days. Trucks queued for kilometres outside the gates while staff restored systems from backups.";

    [Fact]
    public void Compute_SameTextDifferentCaseAndPunctuation_SameFingerprint()
    {
        var original = StoryFingerprint.Compute(Title, Summary);

        Assert.NotNull(original);
        Assert.Equal(original, StoryFingerprint.Compute(Title.ToUpperInvariant().Replace(",", " —", StringComparison.Ordinal), "  " + Summary + " "));
    }

    [Fact]
    public void Compute_OneWordEdited_SmallDistance()
    {
        var edited = Summary.Replace("busiest", "largest", StringComparison.Ordinal);

        var distance = StoryFingerprint.Compute(Title, Summary)!.Value.DistanceTo(StoryFingerprint.Compute(Title, edited)!.Value);

        Assert.InRange(distance, 1, StoryFingerprint.MaxSearchableDistance);
    }

    [Fact]
    public void Compute_DifferentStories_LargeDistance()
    {
        var other = StoryFingerprint.Compute(
            "Phishing campaign targets Japanese shipping firms",
            "A phishing campaign impersonating customs officials has targeted Japanese shipping firms since March, researchers "
            + "said on Thursday. The emails carried a loader that steals credentials from freight booking systems.");

        Assert.InRange(StoryFingerprint.Compute(Title, Summary)!.Value.DistanceTo(other!.Value), 20, 64);
    }

    [Theory]
    [InlineData("Port hit", "")]
    [InlineData("Ransomware hits the port", "of Nagoya")]
    [InlineData("", "!!! ... ---")]
    public void Compute_FewerThanEightWords_Null(string title, string summary) =>
        Assert.Null(StoryFingerprint.Compute(title, summary));

    [Fact]
    public void Compute_EightWords_HasFingerprint() =>
        Assert.NotNull(StoryFingerprint.Compute("Ransomware hits the port", "of Nagoya on Thursday"));

    [Fact]
    public void Band_Index_LowestBitsFirst()
    {
        var fingerprint = new StoryFingerprint(0x0004_0003_0002_0001);

        Assert.Equal([1, 2, 3, 4], Enumerable.Range(0, StoryFingerprint.BandCount).Select(fingerprint.Band));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 1)]
    [InlineData(4, 17)]
    [InlineData(7, 17)]
    public void BandProbes_MaxDistance_OneOrSeventeenValuesPerBand(int maxDistance, int perBand) =>
        Assert.All(new StoryFingerprint(42).BandProbes(maxDistance), values => Assert.Equal(perBand, values.Count));

    [Fact]
    public void BandProbes_AnyFingerprintWithinTheDistance_SharesAProbedBand()
    {
        var random = new Random(3);
        for (var maxDistance = 0; maxDistance <= StoryFingerprint.MaxSearchableDistance; maxDistance++)
        {
            for (var trial = 0; trial < 500; trial++)
            {
                var fingerprint = new StoryFingerprint((ulong)random.NextInt64());
                var flipped = fingerprint.Value;
                foreach (var bit in Enumerable.Range(0, 64).OrderBy(_ => random.Next()).Take(maxDistance))
                {
                    flipped ^= 1UL << bit;
                }

                var near = new StoryFingerprint(flipped);
                var probes = fingerprint.BandProbes(maxDistance);

                Assert.Equal(maxDistance, fingerprint.DistanceTo(near));
                Assert.Contains(Enumerable.Range(0, StoryFingerprint.BandCount), band => probes[band].Contains(near.Band(band)));
            }
        }
    }

    [Fact]
    public void BandProbes_BeyondTheSearchableDistance_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StoryFingerprint(1).BandProbes(StoryFingerprint.MaxSearchableDistance + 1));

    [Fact]
    public void Fingerprint_IncomingItem_ComputedFromTitleAndSummary() =>
        Assert.Equal(
            StoryFingerprint.Compute(Title, Summary),
            new IncomingItem("feed", "guid:1", Title, "https://x.example/a", Summary, null).Fingerprint);
}
