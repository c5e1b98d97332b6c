using ThreatBriefBot.Storage.PostgreSql;
using ThreatBriefBot.Storage.Search;
using ThreatBriefBot.Storage.Sqlite;

namespace ThreatBriefBot.Tests.Storage;

public sealed class SearchWordsTests
{
    [Theory]
    [InlineData("Ransomware hits ZÜRICH", new[] { "ransomware", "hits", "zurich" })]
    [InlineData("Łódź, São Paulo & Øresund", new[] { "lodz", "sao", "paulo", "oresund" })]
    [InlineData("CVE-2025-1234: O'Brien's \"NEAR\" (x:*)", new[] { "cve", "2025", "1234", "o", "brien", "s", "near", "x" })]
    [InlineData("naïve Naive NAÏVE", new[] { "naive" })]
    [InlineData("東京 exchange", new[] { "東京", "exchange" })]
    [InlineData("?! -- ''", new string[0])]
    public void Fold_Text_LowerCaseWordsWithoutDiacriticsEachOnce(string text, string[] expected) =>
        Assert.Equal(expected, SearchWords.Fold(text));

    [Fact]
    public void Fold_VeryLongWord_CutUnderPostgreSqlsLexemeLimit()
    {
        var word = Assert.Single(SearchWords.Fold(new string('a', 300) + "𝐀"));
        Assert.Equal(256, word.Length);
    }

    [Fact]
    public void OfItem_TitleAndSummary_EachWordOnceSpaceSeparated() =>
        Assert.Equal("port strike ends ransom no", SearchWords.OfItem("Port strike ends", "Ransom? No: port strike."));

    // Terms never hold a quote after folding; the dialects still quote them, so a change in folding cannot open a hole.
    [Fact]
    public void ToTextMatch_Sqlite_QuotedPhrasePrefixesWithQuotesDoubled() =>
        Assert.Equal("\"ransom\"* \"a\"\"b\"*", new SqliteDialect().ToTextMatch(["ransom", "a\"b"]));

    [Fact]
    public void ToTextMatch_PostgreSql_QuotedLexemePrefixesJoinedByAnd() =>
        Assert.Equal(@"'ransom':* & 'a''b\\c':*", new PostgreSqlDialect().ToTextMatch(["ransom", @"a'b\c"]));
}
