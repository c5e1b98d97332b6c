using ThreatBriefBot.Feeds;

namespace ThreatBriefBot.Tests.Feeds;

public sealed class FeedDatesTests
{
    [Theory]
    [InlineData("Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z")]
    [InlineData("Tue, 24 Nov 2026 08:30:00 EST", "2026-11-24T13:30:00Z")]
    [InlineData("Tue, 24 Nov 2026 08:30:00 EDT", "2026-11-24T12:30:00Z")]
    [InlineData("Tue, 24 Nov 2026 08:30:00 CEST", "2026-11-24T06:30:00Z")]
    [InlineData("Tue, 24 Nov 2026 08:30:00 PST", "2026-11-24T16:30:00Z")]
    [InlineData("Tue, 24 Nov 2026 08:30 +0100", "2026-11-24T07:30:00Z")]
    [InlineData("Mon, 24 Nov 2026 08:30:00 GMT", "2026-11-24T08:30:00Z")]
    [InlineData("Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21Z")]
    [InlineData("Thu,  5 Apr 2012 10:00:00 GMT", "2012-04-05T10:00:00Z")]
    [InlineData("Mon, 26 January 2004 16:31:00 ET", "2004-01-26T21:31:00Z")]
    [InlineData("Thu, 01 Jan 2004", "2004-01-01T00:00:00Z")]
    [InlineData("2003-12-31T10:14:55Z", "2003-12-31T10:14:55Z")]
    [InlineData("2003-12-31T10:14:55-08:00", "2003-12-31T18:14:55Z")]
    [InlineData("2007-04-23T23:25:47.538+10:00", "2007-04-23T13:25:47Z")]
    [InlineData("2003-12-31", "2003-12-31T00:00:00Z")]
    [InlineData("2004-07-08 23:56:58", "2004-07-08T23:56:58Z")]
    [InlineData("Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06Z")]
    [InlineData("Sun Jul 15 01:16:00 +0000 2012", "2012-07-15T01:16:00Z")]
    public void Parse_KnownForms_ReturnsUtc(string input, string expected)
    {
        var parsed = FeedDates.Parse(input);

        Assert.NotNull(parsed);
        Assert.Equal(expected, FeedDates.Format(parsed.Value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("Sun, 16 zzz 2012 11:47:32 GMT")]
    [InlineData("Sun, 99 Jun 2009 12:00:00 GMT")]
    [InlineData("2003-12-31T25:14:55Z")]
    [InlineData("9999-12-31T23:59:59-99:99")]
    [InlineData("Sun, 31 Dec 9999 23:59:59 -9999")]
    [InlineData("2013-01-28T11:30:00-06:00Textra")]
    public void Parse_Unreadable_ReturnsNull(string? input)
    {
        Assert.Null(FeedDates.Parse(input));
    }
}
