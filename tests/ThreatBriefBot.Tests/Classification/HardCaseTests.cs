using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Tests.Classification;

/// <summary>The issue's hard cases, each as a sentence a news site could have printed.</summary>
public sealed class HardCaseTests
{
    private readonly KeywordItemClassifier _classifier = new(SeedRules.Rules);

    [Theory]
    [InlineData("Mayor recovering after heart attack", "The 64-year-old suffered a heart attack on Tuesday and is in stable condition, his office said.")]
    [InlineData("Beach closed after shark attack", "A swimmer was bitten in a shark attack off the northern beaches; lifeguards closed the beach for 24 hours.")]
    [InlineData("Terror attack on market kills six", "Police said the terror attack was carried out by a gunman who opened fire on shoppers before being arrested.")]
    [InlineData("Warm, sunny weekend ahead", "Expect a warm weekend with highs of 24C on Saturday before temperatures drop and showers return on Monday.")]
    [InlineData("Business climate improves for small firms", "The business climate index rose for a third month as orders picked up, the chamber said.")]
    [InlineData("Lakers trade veteran forward to Boston", "The NBA trade sends the forward and two second-round draft picks to the Celtics before the deadline.")]
    [InlineData("Trade show draws record crowds", "More than 40,000 visitors attended the three-day trade show, where exhibitors showed new kitchen appliances.")]
    [InlineData("Tricks of the trade from a master baker", "After 30 years behind the counter, she shares the tricks of the trade for a perfect sourdough crust.")]
    [InlineData("Carbon-fibre bikes get lighter", "The new carbon fibre frame weighs under 700 grams, and the carbon-fiber wheels shave another 200.")]
    [InlineData("Ten life hacks for a tidier kitchen", "These life hacks take less than five minutes and save money every week.")]
    [InlineData("Club sues striker for breach of contract", "The club says the player's move abroad was a breach of contract and is seeking damages.")]
    [InlineData("Best fishing trips on the coast", "Charter boats offer fishing trips for mackerel and bass; a half-day fishing trip costs about £40.")]
    [InlineData("Flu virus spreads early this winter", "Hospitals report a rise in patients with the flu virus, and doctors urge older people to get vaccinated.")]
    public void Classify_IssueHardNegative_NoTopic(string title, string text)
    {
        var result = _classifier.Classify(title, text);

        Assert.Empty(result.Topics);
    }

    [Fact]
    public void Classify_RansomwareStoryThatNeverSaysCyber_IsCyberattacks()
    {
        var result = _classifier.Classify(
            "Logistics firm's files encrypted, gang demands $4 million",
            "An extortion gang encrypted files on the company's servers and posted samples of stolen payroll records on its data leak site after the firm refused the ransom demand.");

        var match = Assert.Single(result.Topics);
        Assert.Equal("cyberattacks", match.Topic);
        Assert.NotEmpty(match.Evidence);
    }

    [Fact]
    public void Classify_CarbonBorderTax_IsClimateAndTrade()
    {
        var result = _classifier.Classify(
            "EU carbon border tax starts to bite",
            "Importers of steel and aluminium must now buy certificates under the carbon border adjustment mechanism, which exporters say is a disguised tariff.");

        Assert.True(result.HasTopic("climate"));
        Assert.True(result.HasTopic("trade"));
    }

    [Fact]
    public void Classify_SanctionsThatFollowAHack_IsCyberattacksAndTrade()
    {
        var result = _classifier.Classify(
            "Treasury sanctions firms behind hack of water utilities",
            "The sanctions bar exports to three companies that officials say supplied the hackers who broke into utility networks last year.");

        Assert.True(result.HasTopic("cyberattacks"));
        Assert.True(result.HasTopic("trade"));
    }

    [Fact]
    public void Classify_DeniedCyberattack_IsStillAboutCyberattacks()
    {
        // A denial is news about the attack: the labels say what the story is about, not what is true.
        var result = _classifier.Classify("Ministry denies cyberattack caused outage", "Officials denied any cyberattack, blaming a software update for the outage.");

        Assert.True(result.HasTopic("cyberattacks"));
    }

    [Fact]
    public void Classify_ClimateWordInAnotherSense_NotClimate()
    {
        var result = _classifier.Classify("Investors wary as political climate sours", "The economic climate is not related to climate change, analysts stressed, but to the budget fight.");

        Assert.False(result.HasTopic("climate"));
    }

    [Fact]
    public void Classify_PhishingNotFishing_OnlyThePhishingStoryIsCyber()
    {
        var phishing = _classifier.Classify("Bank customers targeted by phishing texts", "The texts link to a fake login page that harvests passwords.");
        var fishing = _classifier.Classify("Anglers enjoy fishing trips", "Fishing trips resume as the season opens.");

        Assert.True(phishing.HasTopic("cyberattacks"));
        Assert.Equal(0, fishing.ScoreOf("cyberattacks"));
    }
}
