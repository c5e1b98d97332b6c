using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Tests.Classification;

public sealed class CountryGazetteerTests
{
    private readonly CountryGazetteer _gazetteer = new(SeedRules.Rules);

    [Theory]
    [InlineData("japan", "JP")]
    [InlineData("Japan", "JP")]
    [InlineData("JP", "JP")]
    [InlineData("jp", "JP")]
    [InlineData("japanese", "JP")]
    [InlineData("tokyo", "JP")]
    [InlineData("United States", "US")]
    [InlineData("usa", "US")]
    [InlineData("U.S.", "US")]
    [InlineData("the Kremlin", "RU")]
    [InlineData("britain", "GB")]
    [InlineData("UK", "GB")]
    [InlineData("south korea", "KR")]
    [InlineData("North-Korean", "KP")]
    [InlineData("dprk", "KP")]
    [InlineData("georgia", "GE")]
    public void ResolveCountry_CommonForm_ResolvesToCode(string phrase, string code)
    {
        Assert.Equal(code, _gazetteer.ResolveCountry(phrase));
    }

    [Theory]
    [InlineData("atlantis")]
    [InlineData("korea")]
    [InlineData("")]
    public void ResolveCountry_UnknownOrAmbiguous_IsNull(string phrase)
    {
        Assert.Null(_gazetteer.ResolveCountry(phrase));
    }

    [Fact]
    public void ResolveRegion_EastAsia_HasJapanChinaAndBothKoreas()
    {
        var members = _gazetteer.ResolveRegion("East Asia");

        Assert.NotNull(members);
        Assert.Superset(new HashSet<string>(["JP", "CN", "KR", "KP"]), members.ToHashSet());
        Assert.DoesNotContain("US", members);
    }

    [Fact]
    public void ResolveRegion_NotARegion_IsNull()
    {
        Assert.Null(_gazetteer.ResolveRegion("japan"));
    }

    [Fact]
    public void NameOf_KnownAndUnknownCodes_NameOrCodeItself()
    {
        Assert.Equal("Japan", _gazetteer.NameOf("JP"));
        Assert.Equal("United Kingdom", _gazetteer.NameOf("gb"));
        Assert.Equal("ZZ", _gazetteer.NameOf("ZZ"));
    }

    [Fact]
    public void CountryNames_SeedRules_CoverEveryIsoCountry()
    {
        Assert.InRange(_gazetteer.CountryNames.Count, 249, 250);
        Assert.Contains("South Korea", _gazetteer.CountryNames);
    }

    [Theory]
    [InlineData("Firm upgrades IT systems", "Its IT team moved the servers.")]
    [InlineData("Let us know", "Tell us what you think; join us in the comments.")]
    [InlineData("Deal is an Australia-type arrangement", "Critics call it an Australia-style fudge.")]
    [InlineData("Fundraiser raises US$2 million", "Donors gave US$2 million.")]
    [InlineData("Paris Agreement turns ten", "Signatories of the Paris climate agreement met online.")]
    [InlineData("Georgia beats Alabama", "The Georgia Bulldogs won the title.")]
    [InlineData("Thanksgiving turkey prices rise", "A turkey costs 17% more than last year.")]
    public void CountriesIn_CodesCommonWordsAndTraps_NoFalseCountry(string title, string text)
    {
        var countries = _gazetteer.CountriesIn(title, text);

        Assert.DoesNotContain("IT", countries);
        Assert.DoesNotContain("FR", countries);
        Assert.DoesNotContain("GE", countries);
        Assert.DoesNotContain("TR", countries);
        Assert.DoesNotContain("AU", countries);
        Assert.True(countries.Count == 0 || countries.SequenceEqual(["US"]), string.Join(",", countries));
    }

    [Theory]
    [InlineData("Kremlin denies role", "The Kremlin said on Monday it had no part in it.", "RU")]
    [InlineData("N. Korea fires missile", "The launch was the third this month.", "KP")]
    [InlineData("U.S. charges two hackers", "Prosecutors filed the case on Friday.", "US")]
    [InlineData("NORTH KOREA FIRES MISSILE", "The launch was the third this month.", "KP")]
    [InlineData("Talks resume", "Officials in Tbilisi said Georgia would join the talks.", "GE")]
    [InlineData("Talks resume", "Downing Street said the prime minister would attend.", "GB")]
    public void CountriesIn_NameMetonymOrAbbreviation_FindsCountry(string title, string text, string code)
    {
        Assert.Contains(code, _gazetteer.CountriesIn(title, text));
    }

    [Fact]
    public void CountriesIn_WireDatelineOnly_DoesNotCount()
    {
        var countries = _gazetteer.CountriesIn(
            "Vietnamese users face slow internet after cable fault",
            "BANGKOK, Nov 23 (Reuters) - Internet users in Vietnam faced slow speeds on Monday.");

        Assert.Equal(["VN"], countries);
    }

    [Fact]
    public void CountriesIn_LoneVenueOrSurname_DoesNotCountButTwoPlacesDo()
    {
        Assert.Empty(_gazetteer.CountriesIn("Ministers meet", "Trade minister Simon Birmingham said on Monday."));
        Assert.Equal(["US"], _gazetteer.CountriesIn("Pipeline shut", "Fuel flows from Texas to New York were halted."));
    }

    [Fact]
    public void CountriesIn_MoreMentions_RankFirst()
    {
        var countries = _gazetteer.CountriesIn("Japan and China hold talks", "Japan said Japanese officials would meet Chinese counterparts. Japan hopes for progress.");

        Assert.Equal(["JP", "CN"], countries);
    }
}
