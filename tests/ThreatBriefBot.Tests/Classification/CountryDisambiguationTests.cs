using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Tests.Classification;

/// <summary>The country traps and the regions behind <c>brief asia</c>, on the generated gazetteer.</summary>
public sealed class CountryDisambiguationTests
{
    private readonly CountryGazetteer _gazetteer = new(SeedRules.Rules);

    [Theory]
    [InlineData("Atlanta suburbs vote", "Voters in Georgia's suburbs lined up early; Atlanta turnout hit a record.", "US", "GE")]
    [InlineData("Talks in Tbilisi", "Georgia's government in Tbilisi said it would seek closer ties with Brussels.", "GE", "US")]
    [InlineData("Jordan scores 40", "Michael Jordan's old team won again as Jordan watched from the stands in Chicago.", "", "JO")]
    [InlineData("Turkey prices rise before holidays", "A frozen turkey costs 12% more in U.S. stores this year.", "US", "TR")]
    [InlineData("Chad wins local council seat", "Chad Miller, a farmer from Iowa, won the seat by 40 votes.", "", "TD")]
    [InlineData("Nigerian army reinforces border", "Nigeria sent troops north as fighting spread in Niger's Tillabéri region.", "NG", "GN")]
    [InlineData("Pecan growers in New Mexico hit", "Farmers in New Mexico say Chinese tariffs cut prices.", "US", "MX")]
    [InlineData("States sue over offshore wind", "The lawsuit cites the Paris Agreement and the Clean Air Act; officials in California and New York joined.", "US", "FR")]
    public void CountriesIn_AmbiguousName_ResolvesTheWayAReaderWould(string title, string text, string expected, string notExpected)
    {
        var countries = _gazetteer.CountriesIn(title, text);

        Assert.DoesNotContain(notExpected, countries);
        if (expected.Length > 0)
        {
            Assert.Contains(expected, countries);
        }
    }

    [Fact]
    public void CountriesIn_NigerAndNigeria_AreTwoCountries()
    {
        Assert.Equal(["NE", "NG"], _gazetteer.CountriesIn("Niger and Nigeria reopen border", "").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Guinea junta sets vote date", "GN")]
    [InlineData("Guinea-Bissau president dissolves parliament", "GW")]
    [InlineData("Equatorial Guinea oil output falls", "GQ")]
    [InlineData("Papua New Guinea landslide buries village", "PG")]
    public void CountriesIn_TheGuineas_EachItsOwnCountry(string title, string code)
    {
        Assert.Equal([code], _gazetteer.CountriesIn(title, ""));
    }

    [Theory]
    [InlineData("Pyongyang test-fires missile", "KP")]
    [InlineData("Downing Street rejects claim", "GB")]
    [InlineData("The Kremlin responds", "RU")]
    [InlineData("Côte d'Ivoire holds election", "CI")]
    [InlineData("Ivory Coast holds election", "CI")]
    [InlineData("Türkiye raises rates", "TR")]
    [InlineData("Czechia and Slovakia sign pact", "CZ")]
    public void CountriesIn_MetonymOrAlternativeName_FindsCountry(string title, string code)
    {
        Assert.Contains(code, _gazetteer.CountriesIn(title, ""));
    }

    [Fact]
    public void CountriesIn_DatelineOnly_IsNotTheSubject()
    {
        var countries = _gazetteer.CountriesIn("Flights resume after ash cloud", "JAKARTA, March 3 (Reuters) - Airlines in Malaysia resumed flights on Tuesday.");

        Assert.Equal(["MY"], countries);
    }

    [Fact]
    public void CountryNames_GeneratedGazetteer_HasEveryIsoCode()
    {
        Assert.Equal(249, _gazetteer.CountryNames.Count);
        Assert.Equal("Åland Islands", _gazetteer.NameOf("AX"));
        Assert.Equal("ZW", _gazetteer.ResolveCountry("Zimbabwean"));
    }

    [Theory]
    [InlineData("asia", "JP", "US")]
    [InlineData("asia-pacific", "AU", "US")]
    [InlineData("asia pacific", "AU", "US")]
    [InlineData("europe", "DE", "US")]
    [InlineData("middle-east", "SA", "GB")]
    [InlineData("middle east", "IR", "GB")]
    [InlineData("africa", "NG", "FR")]
    [InlineData("latin-america", "BR", "US")]
    [InlineData("north-america", "CA", "BR")]
    [InlineData("east-asia", "KR", "IN")]
    [InlineData("southeast-asia", "VN", "CN")]
    [InlineData("south-asia", "IN", "CN")]
    [InlineData("eu", "FR", "GB")]
    [InlineData("g7", "JP", "CN")]
    [InlineData("nato", "TR", "RU")]
    public void ResolveRegion_NamedGroup_HasMembersAndNotOutsiders(string region, string member, string outsider)
    {
        var members = _gazetteer.ResolveRegion(region);

        Assert.NotNull(members);
        Assert.Contains(member, members);
        Assert.DoesNotContain(outsider, members);
    }
}
