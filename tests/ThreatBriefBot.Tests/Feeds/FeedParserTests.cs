using System.Diagnostics;
using System.Text;
using ThreatBriefBot.Feeds;
using static ThreatBriefBot.Tests.Feeds.FeedFixtures;

namespace ThreatBriefBot.Tests.Feeds;

public sealed class FeedParserTests
{
    public static TheoryData<string, string> Formats => new()
    {
        { FeedFixtures.Rss20, "rss20" },
        { Rss091, "rss091" },
        { Rss092, "rss092" },
        { Rss090Rss, "rss090" },
        { FeedFixtures.Rss10, "rss10" },
        { Rss090Rdf, "rss090" },
        { FeedFixtures.Atom10, "atom10" },
        { FeedFixtures.Atom03, "atom03" },
        { Json11, "json11" },
        { Json10, "json10" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Parse_EachFormat_DetectsFormatAndReadsOneEntry(string document, string format)
    {
        var feed = Parse(document);

        Assert.Equal(format, feed.Format);
        Assert.Single(feed.Entries);
        Assert.False(feed.Bozo);
    }

    [Fact]
    public void Parse_Rss20_ReadsEveryField()
    {
        var feed = Parse(FeedFixtures.Rss20);

        Assert.Equal("Example Wire", feed.Title);
        Assert.Equal("https://example.org/", feed.Link);
        Assert.Equal("utf-8", feed.Encoding);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), feed.Updated);
        var entry = feed.Entries[0];
        Assert.Equal("wire-1", entry.Id);
        Assert.Equal("Ransomware hits port operator", entry.Title);
        Assert.Equal("https://example.org/a/1", entry.Link);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 7, 30, 0, TimeSpan.Zero), entry.Published);
        Assert.Equal("<p>Systems were <em>down</em>.</p>", entry.Summary);
        Assert.Equal("<p>Full text.</p>", entry.Content);
        Assert.Equal("Jane Doe", entry.Author);
        Assert.Equal(["cyber", "ports"], entry.Categories);
        Assert.Equal(new ParsedEnclosure("https://example.org/a/1.mp3", "audio/mpeg", "1234"), Assert.Single(entry.Enclosures));
    }

    [Fact]
    public void Parse_Atom10WithXmlBase_ResolvesRelativeUrls()
    {
        var feed = Parse(FeedFixtures.Atom10);

        Assert.Equal("Example Atom", feed.Title);
        Assert.Equal("https://example.org/", feed.Link);
        var entry = feed.Entries[0];
        Assert.Equal("https://example.org/blog/posts/1", entry.Link);
        Assert.Equal("https://example.org/blog/files/1.pdf", entry.Enclosures[0].Url);
        Assert.Contains("href=\"https://example.org/blog/more\"", entry.Summary, StringComparison.Ordinal);
        Assert.Equal("<p>Body</p>", entry.Content);
        Assert.Equal("Ann", entry.Author);
        Assert.Null(entry.Published);
        Assert.Equal(entry.Updated, entry.Date);
    }

    [Fact]
    public void Parse_RelativeLinkWithoutXmlBase_ResolvesAgainstDocumentUri()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><item><title>t</title><link>/a/1</link></item></channel></rss>",
            documentUri: new Uri("https://news.example/feeds/rss.xml"));

        Assert.Equal("https://news.example/a/1", feed.Entries[0].Link);
    }

    [Fact]
    public void Parse_JsonFeed_SanitizesAndMapsFields()
    {
        var entry = Parse(Json11).Entries[0];

        Assert.Equal("<p>Hi</p>", entry.Content);
        Assert.Equal(["a", "b"], entry.Categories);
        Assert.Equal("Bo", entry.Author);
        Assert.Equal("42", entry.Enclosures[0].Length);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero), entry.Published);
    }

    [Fact]
    public void Parse_UndeclaredHtmlEntitiesAndBareAmpersand_RepairsAndFlagsBozo()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><title>Caf&eacute;&nbsp;news & more</title><item><title>R&D &mdash; x</title></item></channel></rss>");

        Assert.True(feed.Bozo);
        Assert.NotNull(feed.BozoReason);
        Assert.Equal("Café\u00A0news & more", feed.Title);
        Assert.Equal("R&D — x", feed.Entries[0].Title);
    }

    [Fact]
    public void Parse_WhitespaceBeforeXmlDeclaration_IsTolerated()
    {
        var feed = Parse("\n\n  <?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title></channel></rss>");

        Assert.Equal("t", feed.Title);
    }

    [Fact]
    public void Parse_DoctypeWithExternalEntity_ReadsFeedWithoutExpandingEntity()
    {
        const string xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY remote SYSTEM "http://127.0.0.1:1/evil.dtd"> ]>
            <rss version="2.0"><channel><title>Feed &xxe;</title><item><title>a &remote;</title></item></channel></rss>
            """;

        var feed = Parse(xxe);

        Assert.Equal("Feed &xxe;", feed.Title);
        Assert.Equal("a &remote;", feed.Entries[0].Title);
        Assert.DoesNotContain("root:", feed.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HarmlessDoctype_ReadsFeedAndExpandsPlainTextEntity()
    {
        const string doc = """
            <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd" [ <!ENTITY org "example.org"> ]>
            <rss version="0.91"><channel><title>About &org;</title><item><title>x</title></item></channel></rss>
            """;

        var feed = Parse(doc);

        Assert.Equal("About example.org", feed.Title);
        Assert.False(feed.Bozo);
    }

    [Fact]
    public void Parse_BillionLaughs_IsQuickAndDoesNotExpand()
    {
        var declarations = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i < 10; i++)
        {
            declarations.Append($"<!ENTITY lol{i} \"&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};\">");
        }

        var doc = $"<?xml version=\"1.0\"?><!DOCTYPE rss [{declarations}]><rss version=\"2.0\"><channel><title>&lol9;</title><item><title>x</title></item></channel></rss>";
        var stopwatch = Stopwatch.StartNew();

        var feed = Parse(doc);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2));
        Assert.Equal("&lol9;", feed.Title);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n ", "empty")]
    [InlineData("just some text", "neither XML nor JSON")]
    [InlineData("<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</body></html>", "HTML page")]
    [InlineData("<rss version=\"2.0\"><channel><ite", "not a feed")]
    [InlineData("{\"hello\":1}", "jsonfeed.org")]
    [InlineData("<foo><bar/></foo>", "unknown root element")]
    public void Parse_NotAFeed_ThrowsWithOneLineMessage(string document, string expected)
    {
        var ex = Assert.Throws<FeedParseException>(() => Parse(document));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Parse_TruncatedAfterSomeItems_ReturnsCompleteItemsAndFlagsBozo()
    {
        const string doc = "<rss version=\"2.0\"><channel><title>t</title><item><title>one</title></item><item><title>two</title></item><item><title>thr";

        var feed = Parse(doc);

        Assert.True(feed.Bozo);
        Assert.Equal(["one", "two"], feed.Entries.Select(e => e.Title));
    }

    [Fact]
    public void Parse_LargerThanCap_Throws()
    {
        var doc = "<rss version=\"2.0\"><channel><title>" + new string('x', 5000) + "</title></channel></rss>";

        var ex = Assert.Throws<FeedParseException>(() => Parse(doc, maxBytes: 2048));

        Assert.StartsWith("too large", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<p>ok</p><script>alert(1)</script>", "<p>ok</p>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>")]
    [InlineData("<b onclick=\"evil()\">x</b>", "<b>x</b>")]
    [InlineData("<iframe src=\"https://evil.example/\"></iframe>safe", "safe")]
    [InlineData("<object data=\"x.swf\"></object><embed src=\"x.swf\">safe", "safe")]
    [InlineData("<style>body{display:none}</style>safe", "safe")]
    public void Parse_DangerousMarkupInDescription_IsSanitized(string html, string expected)
    {
        var doc = $"<rss version=\"2.0\"><channel><item><title>t</title><description><![CDATA[{html}]]></description></item></channel></rss>";

        var summary = Parse(doc).Entries[0].Summary;

        Assert.Equal(expected, summary);
    }

    [Fact]
    public void Parse_Iso88591Declared_DecodesAndReportsEncoding()
    {
        var bytes = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>Zürich</title></channel></rss>");

        var feed = Parse(bytes);

        Assert.Equal("Zürich", feed.Title);
        Assert.Equal("windows-1252", feed.Encoding);
    }

    [Fact]
    public void Parse_HttpCharset_WinsOverDeclaration()
    {
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\"><channel><title>Zürich</title></channel></rss>");

        var feed = Parse(bytes, "application/rss+xml; charset=utf-8");

        Assert.Equal("Zürich", feed.Title);
        Assert.Equal("utf-8", feed.Encoding);
    }

    [Fact]
    public void Parse_Utf16WithBom_Decodes()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>Ω</title></channel></rss>")).ToArray();

        var feed = Parse(bytes);

        Assert.Equal("Ω", feed.Title);
        Assert.Equal("utf-16", feed.Encoding);
        Assert.False(feed.Bozo);
    }

    [Fact]
    public void Parse_DeclaredUtf8ButWindows1252Bytes_FallsBackAndFlagsBozo()
    {
        var bytes = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Café</title></channel></rss>");

        var feed = Parse(bytes);

        Assert.True(feed.Bozo);
        Assert.Equal("Café", feed.Title);
    }

    [Fact]
    public void Parse_UnreadableDate_IsNull()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><item><title>t</title><pubDate>sometime soon</pubDate></item></channel></rss>");

        Assert.Null(feed.Entries[0].Published);
    }

    [Fact]
    public void Parse_UndeclaredNamespacePrefix_ReadsFeedAndFlagsBozo()
    {
        var feed = Parse("<rss version=\"2.0\"><channel><title>t</title><item><title>one</title><dc:creator>Ann</dc:creator></item></channel></rss>");

        Assert.True(feed.Bozo);
        Assert.Equal("one", feed.Entries[0].Title);
    }

    [Fact]
    public void Parse_XmlDeclarationAfterComment_IsRead()
    {
        var feed = Parse("<!-- generated -->\n<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>t</title></channel></rss>");

        Assert.Equal("t", feed.Title);
    }

    [Theory]
    [InlineData("don&#146;t", "don\u2019t")]
    [InlineData("&#226;&#128;&#166;", "\u2026")]
    public void Parse_Windows1252Artefacts_AreRepaired(string description, string expected)
    {
        var feed = Parse($"<rss version=\"2.0\"><channel><item><title>{description}</title></item></channel></rss>");

        Assert.Equal(expected, feed.Entries[0].Title);
    }

    [Fact]
    public void Parse_AtomBase64Content_IsDecoded()
    {
        var feed = Parse("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>t</title><content type=\"application/octet-stream\">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</content></entry></feed>");

        Assert.Equal("Example <b>Atom</b>", feed.Entries[0].Content);
    }

    [Fact]
    public void Parse_TitleWithAngleBracketInAttribute_StripsWholeTag()
    {
        var feed = Parse("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title type=\"html\"><![CDATA[<img alt=\"a<br />b\" src=\"x.png\"> Cats]]></title></feed>");

        Assert.Equal("Cats", feed.Title);
    }

    [Fact]
    public void Parse_UnsafeXmlBase_IsIgnored()
    {
        var feed = Parse("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"javascript:alert(1)//\"><entry><title>t</title><link href=\"/a\"/></entry></feed>",
            documentUri: new Uri("https://example.org/feed"));

        Assert.Equal("https://example.org/a", feed.Entries[0].Link);
    }

    [Fact]
    public void Parse_DeeplyNestedXml_DropsTheDepthAndDoesNotOverflow()
    {
        const int depth = 100_000;
        var doc = "<rss version=\"2.0\"><channel><title>t</title><item><title>x</title><description>"
            + string.Concat(Enumerable.Repeat("<div>", depth)) + "hi" + string.Concat(Enumerable.Repeat("</div>", depth))
            + "</description></item></channel></rss>";

        var feed = Parse(doc, maxBytes: 4 * 1024 * 1024);

        Assert.True(feed.Bozo);
        Assert.Equal("x", Assert.Single(feed.Entries).Title);
    }

    [Fact]
    public void Parse_DeeplyNestedEscapedHtml_IsKeptAsTextQuickly()
    {
        var doc = "<rss version=\"2.0\"><channel><item><title>x</title><description>"
            + string.Concat(Enumerable.Repeat("&lt;div&gt;", 50_000)) + "hi</description></item></channel></rss>";
        var stopwatch = Stopwatch.StartNew();

        var feed = Parse(doc, maxBytes: 4 * 1024 * 1024);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3));
        Assert.Equal("hi", feed.Entries[0].Summary);
    }
}
