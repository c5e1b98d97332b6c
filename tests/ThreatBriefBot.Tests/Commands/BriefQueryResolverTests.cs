using ThreatBriefBot.Core.Commands;
using ThreatBriefBot.Tests.TestUtils;

namespace ThreatBriefBot.Tests.Commands;

public class BriefQueryResolverTests
{
    private readonly BriefQueryResolver _resolver = new(new WordClassifier(), new SmallGazetteer());

    [Theory]
    [InlineData("japan")]
    [InlineData("Japan")]
    [InlineData("JP")]
    [InlineData("japanese")]
    [InlineData("tokyo")]
    public void Resolve_CountryInAnyCommonForm_IsThatCountry(string query)
    {
        var resolved = _resolver.Resolve(query);

        Assert.Equal(["JP"], resolved.Countries);
        Assert.Null(resolved.Text);
        Assert.Empty(resolved.Topics);
    }

    [Fact]
    public void Resolve_MultiWordCountryAndTopicPrefix_BothRecognised()
    {
        var resolved = _resolver.Resolve("united states cyber");

        Assert.Equal(["US"], resolved.Countries);
        Assert.Equal(["cyberattacks"], resolved.Topics);
    }

    [Fact]
    public void Resolve_Region_ExpandsToItsCountries()
    {
        var resolved = _resolver.Resolve("east asia trade");

        Assert.Equal(["east asia"], resolved.Regions);
        Assert.Equal(["JP", "CN"], resolved.AllCountries);
        Assert.Equal(["trade"], resolved.Topics);
    }

    [Fact]
    public void Resolve_UnknownWords_BecomeTextAroundRecognisedOnes()
    {
        var resolved = _resolver.Resolve("port strike japan hospitals");

        Assert.Equal(["JP"], resolved.Countries);
        Assert.Equal("port strike hospitals", resolved.Text);
        Assert.False(resolved.IsTextOnly);
    }

    [Theory]
    [InlineData("ransomware", "cyberattacks")]
    [InlineData("Tariffs", "trade")]
    [InlineData("cyber", "cyberattacks")]
    [InlineData("climate", "climate")]
    public void ResolveTopic_NameSynonymOrPrefix_ThatTopic(string word, string topic) => Assert.Equal(topic, _resolver.ResolveTopic(word));

    [Theory]
    [InlineData("tr")]
    [InlineData("c")]
    public void ResolveTopic_TooShortAPrefix_NotATopic(string word) => Assert.Null(_resolver.ResolveTopic(word));

    [Fact]
    public void Suggest_Typo_OffersTheCloseCountry() =>
        Assert.Contains("Japan", _resolver.Suggest("japn"));
}
