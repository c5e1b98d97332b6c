using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Tests.Classification;

public sealed class KeywordItemClassifierTests
{
    private readonly KeywordItemClassifier _classifier = new(SeedRules.Rules);

    [Fact]
    public void Classify_ReferenceStory_CyberattacksFirstThenClimateAndTrade()
    {
        var result = _classifier.Classify(ReferenceStory.Title, ReferenceStory.Text);

        Assert.Equal("cyberattacks", result.Topics[0].Topic);
        Assert.True(result.HasTopic("climate"));
        Assert.True(result.HasTopic("trade"));
        Assert.Equal(3, result.Topics.Count);
    }

    [Fact]
    public void Classify_ReferenceStory_CountriesAreJapanChinaUsAndBothKoreas()
    {
        var result = _classifier.Classify(ReferenceStory.Title, ReferenceStory.Text);

        Assert.Equal(["CN", "JP", "KP", "KR", "US"], result.Countries.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Classify_ReferenceStory_EvidenceNamesTheDecidingPhrases()
    {
        var result = _classifier.Classify(ReferenceStory.Title, ReferenceStory.Text);

        var cyber = result.Topics.Single(t => t.Topic == "cyberattacks").Evidence;
        Assert.Contains("cyberattacks", cyber);
        Assert.Equal(cyber.Count, cyber.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("trade agreement", result.Topics.Single(t => t.Topic == "trade").Evidence);
        Assert.Contains("global warming", result.Topics.Single(t => t.Topic == "climate").Evidence);
    }

    [Theory]
    [InlineData("Former governor in stable condition after heart attack", "The 71-year-old suffered a heart attack at his home on Sunday, doctors said.")]
    [InlineData("Survey finds panic attacks rising among office workers", "One in five respondents reported a panic attack in the past year.")]
    [InlineData("Surfer escapes shark attack", "A surfer escaped a shark attack that left his board torn in half. Nobody was injured in the attack.")]
    [InlineData("Nets acquire veteran guard in three-team trade", "The NBA trade deadline brought a flurry of deals as players and draft picks changed teams.")]
    [InlineData("Dealers report record trade-in values", "Used-car dealers say trade-in values for petrol cars rose again in October.")]
    [InlineData("Warmer weather this weekend", "Warm winds from the south take our highs to the 80s on Sunday, with sunny skies and a warm weekend ahead.")]
    [InlineData("French business climate index slips", "The business climate indicator fell to its lowest in 18 months as the political climate remained tense.")]
    [InlineData("Five life hacks to tame an overflowing inbox", "These simple life hacks will save you an hour a week.")]
    [InlineData("Trade winds return to Hawaii", "Steady trade winds bring cooler nights and good surf this week.")]
    [InlineData("Cyber Monday set to break online sales record", "Retailers expect Cyber Monday deals to lift online sales again.")]
    [InlineData("Measles outbreak grows", "The highly contagious viral illness has spread in three counties, health officials said.")]
    public void Classify_TopicWordInAnotherSense_NoTopic(string title, string text)
    {
        var result = _classifier.Classify(title, text);

        Assert.Empty(result.Topics);
    }

    [Theory]
    [InlineData("cyberattacks", "Hospital hit by ransomware", "A ransomware gang encrypted patient records and demanded payment.")]
    [InlineData("cyberattacks", "Government unveils cyber defence strategy", "The plan funds new cyber defence posts and a national cybersecurity centre.")]
    [InlineData("cyberattacks", "Attackers exploit flaw in VPN appliances", "The vulnerability has been actively exploited since March, the agency warned.")]
    [InlineData("climate", "Offshore wind auction awards record capacity", "The government awarded contracts for 8 GW of offshore wind, part of its push for clean power.")]
    [InlineData("climate", "Warming made floods more intense, scientists say", "Climate change made the heavy rainfall far more likely, an attribution study found.")]
    [InlineData("climate", "Country adopts net-zero target", "The law sets a net-zero emissions target for 2050 and phases out coal plants.")]
    [InlineData("trade", "China imposes tariffs on barley", "Beijing imposed an 80% tariff on barley imports, escalating the trade dispute.")]
    [InlineData("trade", "Washington tightens chip export controls", "New export controls restrict sales of advanced semiconductors.")]
    [InlineData("trade", "Country files WTO complaint over duties", "The complaint at the World Trade Organization targets anti-dumping duties on canola.")]
    public void Classify_TopicStory_AppliesTopicWithEvidence(string topic, string title, string text)
    {
        var result = _classifier.Classify(title, text);

        var match = Assert.Single(result.Topics, t => t.Topic == topic);
        Assert.NotEmpty(match.Evidence);
        Assert.InRange(match.Score, 0.5, 1.0);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("Heart attack", "No topic here.")]
    [InlineData(ReferenceStory.Title, ReferenceStory.Text)]
    public void Classify_AnyItem_ScoresEveryTopicWithinUnitInterval(string title, string text)
    {
        var result = _classifier.Classify(title, text);

        Assert.Equal(_classifier.TopicNames.Order(StringComparer.Ordinal), result.Scores.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Scores.Values, s => Assert.InRange(s, 0.0, 1.0));
    }

    [Fact]
    public void Classify_TitleMatch_WeighsMoreThanBodyMatch()
    {
        var inTitle = _classifier.Classify("Tariff", "Officials met on Monday.");
        var inBody = _classifier.Classify("Officials met on Monday", "Tariff.");

        Assert.True(inTitle.ScoreOf("trade") > inBody.ScoreOf("trade"));
    }

    [Fact]
    public void Classify_WeakTermWithoutStrongOne_DoesNotCount()
    {
        var result = _classifier.Classify("Police investigate attack", "The attack on a shop owner left him with bruises.");

        Assert.Equal(0, result.ScoreOf("cyberattacks"));
    }

    [Fact]
    public void Classify_HyphenatedAndSpacedForms_MatchTheSamePhrase()
    {
        var hyphen = _classifier.Classify("", "Officials reported a cyber-attack.");
        var space = _classifier.Classify("", "Officials reported a cyber attack.");

        Assert.Equal(hyphen.ScoreOf("cyberattacks"), space.ScoreOf("cyberattacks"));
        Assert.True(hyphen.HasTopic("cyberattacks"));
    }

    [Fact]
    public void TopicNames_SeedRules_AreTheThreeConfiguredTopicsInOrder()
    {
        Assert.Equal(["cyberattacks", "climate", "trade"], _classifier.TopicNames);
        Assert.All(SeedRules.Rules.TopicDefinitions, d => Assert.False(string.IsNullOrWhiteSpace(d.Description)));
    }
}
