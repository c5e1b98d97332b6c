using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Tests.Classification;

public sealed class ClassificationRulesTests
{
    private const string MinimalCountries = """
        {"version":1,
         "weights":{"name":1,"demonym":1,"metonym":1,"capital":0.5,"place":0.5,"ambiguous":0.5,"titleFactor":2,"aboutThreshold":1},
         "countries":[{"code":"JP","name":"Japan","demonyms":["Japanese"],"capital":"Tokyo"}]}
        """;

    private const string MinimalTopics = """
        {"version":1,
         "scoring":{"titleFactor":2,"repeatBonus":0.25,"maxRepeats":4,"saturation":2,"maxEvidence":5},
         "topics":[{"name":"trade","description":"Trade.","threshold":0.5,"terms":[{"weight":2.5,"phrases":["tariff*"]}]}]}
        """;

    [Fact]
    public void Parse_SeedFiles_HasThreeTopicsWithDescriptions()
    {
        var rules = ClassificationRules.Parse(SeedRules.TopicsJson, SeedRules.CountriesJson);

        Assert.Equal(["cyberattacks", "climate", "trade"], rules.TopicDefinitions.Select(d => d.Name));
        Assert.All(rules.TopicDefinitions, d => Assert.InRange(d.Threshold, 0.01, 1.0));
    }

    [Fact]
    public void Parse_MinimalRules_Classifies()
    {
        var classifier = new KeywordItemClassifier(ClassificationRules.Parse(MinimalTopics, MinimalCountries));

        var result = classifier.Classify("Tokyo raises tariffs", "");

        Assert.Equal("trade", Assert.Single(result.Topics).Topic);
        Assert.Equal(["tariffs"], result.Topics[0].Evidence);
        Assert.Equal(["JP"], result.Countries);
    }

    [Theory]
    [InlineData("{", "topics file: not a valid rules document")]
    [InlineData("""{"version":2}""", "topics file: 'version' must be 1")]
    [InlineData("""{"version":1,"scoring":{"titleFactor":2,"repeatBonus":0.25,"maxRepeats":4,"saturation":2,"maxEvidence":5}}""", "topics file: 'topics' is missing")]
    [InlineData("""{"version":1,"scoring":{"titleFactor":2,"repeatBonus":0.25,"maxRepeats":4,"saturation":2,"maxEvidence":5},"topics":[{"name":"trade","threshold":1.5,"terms":[{"weight":1,"phrases":["tariff"]}]}]}""", "topics[0] ('trade'): 'threshold' must be a number in (0, 1]")]
    [InlineData("""{"version":1,"scoring":{"titleFactor":2,"repeatBonus":0.25,"maxRepeats":4,"saturation":2,"maxEvidence":5},"topics":[{"name":"trade","threshold":0.5,"terms":[{"weight":1,"phrases":["tariff","Tariff"]}]}]}""", "phrase 'tariff' appears twice")]
    [InlineData("""{"version":1,"scoring":{"titleFactor":2,"repeatBonus":0.25,"maxRepeats":4,"saturation":2,"maxEvidence":5},"topics":[{"name":"trade","threshold":0.5,"terms":[{"weight":0,"phrases":["tariff"]}]}]}""", "topics[0] ('trade').terms[0]: 'weight' must be a non-zero number")]
    [InlineData("""{"version":1,"scoring":{"titleFactor":2,"repeatBonus":0.25,"maxRepeats":4,"saturation":2,"maxEvidence":5},"topics":[{"name":"trade","threshold":0.5,"terms":[{"weight":1,"phrases":["tariff"]}],"colour":"red"}]}""", "topics file: not a valid rules document")]
    [InlineData("""{"version":1,"scoring":{"titleFactor":2},"topics":[]}""", "topics file: 'scoring.saturation' must be a positive number")]
    public void Parse_BadTopicsFile_NamesTheProblem(string topicsJson, string expected)
    {
        var error = Assert.Throws<ClassificationRulesException>(() => ClassificationRules.Parse(topicsJson, MinimalCountries));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version":1,"weights":{"name":1,"demonym":1,"metonym":1,"capital":0.5,"place":0.5,"ambiguous":0.5,"titleFactor":2,"aboutThreshold":1},"countries":[{"code":"jp","name":"Japan"}]}""", "countries file: countries[0]: 'code' must be an ISO 3166-1 alpha-2 code in upper case")]
    [InlineData("""{"version":1,"weights":{"name":1,"demonym":1,"metonym":1,"capital":0.5,"place":0.5,"ambiguous":0.5,"titleFactor":2,"aboutThreshold":1},"countries":[{"code":"CD","name":"DR Congo","aliases":["Congo"]},{"code":"CG","name":"Congo"}]}""", "countries file: countries[1] (CG): 'Congo' also names CD")]
    [InlineData("""{"version":1,"weights":{"name":1},"countries":[{"code":"JP","name":"Japan"}]}""", "countries file: weights: 'demonym' must be a positive number")]
    [InlineData("""{"version":1,"weights":{"name":1,"demonym":1,"metonym":1,"capital":0.5,"place":0.5,"ambiguous":0.5,"titleFactor":2,"aboutThreshold":1},"countries":[{"code":"JP","name":"Japan"}],"regions":[{"name":"Asia","members":["JP","XX"]}]}""", "regions[0] ('Asia'): member 'XX' is not a country code")]
    public void Parse_BadCountriesFile_NamesTheProblem(string countriesJson, string expected)
    {
        var error = Assert.Throws<ClassificationRulesException>(() => ClassificationRules.Parse(MinimalTopics, countriesJson));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameRulesFromStreams_MatchesStrings()
    {
        using var topics = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(MinimalTopics));
        using var countries = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(MinimalCountries));

        var rules = ClassificationRules.Parse(topics, countries);

        Assert.Equal("trade", Assert.Single(rules.TopicDefinitions).Name);
    }
    [Fact]
    public void Parse_SeedFiles_TopicsHaveQuerySynonyms()
    {
        var topics = SeedRules.Rules.TopicDefinitions.ToDictionary(d => d.Name);

        Assert.Contains("ransomware", topics["cyberattacks"].Aliases);
        Assert.Contains("cyber", topics["cyberattacks"].Aliases);
        Assert.Contains("emissions", topics["climate"].Aliases);
        Assert.Contains("tariffs", topics["trade"].Aliases);
        Assert.Contains("wto", topics["trade"].Aliases);
    }

    [Fact]
    public void WithThresholds_KnownTopic_ReplacesOnlyThatThreshold()
    {
        var rules = ClassificationRules.Parse(MinimalTopics, MinimalCountries);

        var stricter = rules.WithThresholds(new Dictionary<string, double> { ["trade"] = 0.99 });

        Assert.Equal(0.99, Assert.Single(stricter.TopicDefinitions).Threshold);
        Assert.Equal(0.5, Assert.Single(rules.TopicDefinitions).Threshold);
        Assert.Empty(new KeywordItemClassifier(stricter).Classify("", "A tariff.").Topics);
        Assert.NotEmpty(new KeywordItemClassifier(rules).Classify("", "A tariff.").Topics);
    }

    [Theory]
    [InlineData("elections", 0.5, "'elections' is not a configured topic")]
    [InlineData("trade", 0.0, "'trade' must be a number in (0, 1]")]
    [InlineData("trade", 1.5, "'trade' must be a number in (0, 1]")]
    [InlineData("trade", double.NaN, "'trade' must be a number in (0, 1]")]
    public void WithThresholds_UnknownTopicOrOutOfRange_Throws(string topic, double threshold, string expected)
    {
        var rules = ClassificationRules.Parse(MinimalTopics, MinimalCountries);

        var error = Assert.Throws<ClassificationRulesException>(() => rules.WithThresholds(new Dictionary<string, double> { [topic] = threshold }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Thresholds_Options_DefaultToNoOverride()
    {
        Assert.Empty(new ClassificationOptions().Thresholds);
    }
}
