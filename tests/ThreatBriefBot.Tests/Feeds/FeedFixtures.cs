using System.Text;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Feeds;

namespace ThreatBriefBot.Tests.Feeds;

/// <summary>Small feeds written for these tests, one per format and per trap.</summary>
internal static class FeedFixtures
{
    public static ParsedFeed Parse(string document, string? contentType = null, Uri? documentUri = null, long maxBytes = 1024 * 1024) =>
        new FeedParser(Options.Create(new FeedsOptions { MaxDocumentBytes = maxBytes })).Parse(Encoding.UTF8.GetBytes(document), contentType, documentUri);

    public static ParsedFeed Parse(byte[] document, string? contentType = null) =>
        new FeedParser(Options.Create(new FeedsOptions())).Parse(document, contentType);

    public const string Rss20 = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
          <channel>
            <title>Example Wire</title>
            <link>https://example.org/</link>
            <description>Security news</description>
            <lastBuildDate>Tue, 24 Nov 2026 09:00:00 GMT</lastBuildDate>
            <image><title>Not the title</title><link>https://example.org/logo</link></image>
            <item>
              <title>Ransomware hits &lt;b&gt;port&lt;/b&gt; operator</title>
              <link>https://example.org/a/1</link>
              <guid isPermaLink="false">wire-1</guid>
              <description>&lt;p&gt;Systems were &lt;em&gt;down&lt;/em&gt;.&lt;/p&gt;</description>
              <content:encoded><![CDATA[<p>Full text.</p>]]></content:encoded>
              <pubDate>Tue, 24 Nov 2026 08:30:00 +0100</pubDate>
              <dc:creator>Jane Doe</dc:creator>
              <category>cyber</category>
              <category>ports</category>
              <enclosure url="https://example.org/a/1.mp3" type="audio/mpeg" length="1234" />
            </item>
          </channel>
        </rss>
        """;

    public const string Rss091 = """
        <rss version="0.91"><channel><title>Old</title><link>http://example.org/</link>
        <item><title>One</title><link>http://example.org/1</link></item></channel></rss>
        """;

    public const string Rss092 = """
        <rss version="0.92"><channel><title>Old</title><item><title>One</title></item></channel></rss>
        """;

    public const string Rss090Rss = """
        <rss version="0.90"><channel><title>Older</title><item><title>One</title></item></channel></rss>
        """;

    public const string Rss10 = """
        <?xml version="1.0"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel rdf:about="http://example.org/"><title>RDF feed</title><link>http://example.org/</link><description>d</description></channel>
          <item rdf:about="http://example.org/1"><title>First</title><link>http://example.org/1</link><dc:date>2026-11-24T08:30:00+01:00</dc:date></item>
        </rdf:RDF>
        """;

    public const string Rss090Rdf = """
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
          <channel><title>Netscape</title><link>http://example.org/</link></channel>
          <item><title>First</title><link>http://example.org/1</link></item>
        </rdf:RDF>
        """;

    public const string Atom10 = """
        <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/blog/">
          <title type="html">Example &lt;b&gt;Atom&lt;/b&gt;</title>
          <subtitle>About things</subtitle>
          <link rel="self" href="https://example.org/feed.atom"/>
          <link rel="alternate" type="text/html" href="/"/>
          <updated>2026-11-24T09:00:00Z</updated>
          <entry>
            <id>tag:example.org,2026:1</id>
            <title>Entry one</title>
            <link rel="alternate" href="posts/1"/>
            <link rel="enclosure" href="files/1.pdf" type="application/pdf" length="99"/>
            <updated>2026-11-24T09:00:00Z</updated>
            <author><name>Ann</name></author>
            <category term="climate"/>
            <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Read <a href="more">more</a></p></div></summary>
            <content type="html">&lt;p&gt;Body&lt;/p&gt;</content>
          </entry>
        </feed>
        """;

    public const string Atom03 = """
        <feed version="0.3" xmlns="http://purl.org/atom/ns#">
          <title>Atom 0.3</title>
          <link rel="alternate" type="text/html" href="http://example.org/"/>
          <modified>2004-01-01T19:48:21Z</modified>
          <entry>
            <title>Old entry</title>
            <link rel="alternate" type="text/html" href="http://example.org/1"/>
            <id>urn:1</id>
            <issued>2004-01-01T19:48:21Z</issued>
            <content type="text/html" mode="escaped">&lt;b&gt;bold&lt;/b&gt;</content>
          </entry>
        </feed>
        """;

    public const string Json11 = """
        {"version":"https://jsonfeed.org/version/1.1","title":"JSON &amp; friends","home_page_url":"https://example.org/",
         "items":[{"id":"j1","url":"https://example.org/j1","title":"Hello","content_html":"<p>Hi<script>alert(1)</script></p>",
                   "date_published":"2026-11-24T09:00:00+01:00","tags":["a","b"],"authors":[{"name":"Bo"}],
                   "attachments":[{"url":"https://example.org/j1.mp3","mime_type":"audio/mpeg","size_in_bytes":42}]}]}
        """;

    public const string Json10 = """
        {"version":"https://jsonfeed.org/version/1","title":"Old JSON","items":[{"id":"1","content_text":"x < y"}]}
        """;
}
