using System.Globalization;
using System.Security;
using System.Text;

namespace ThreatBriefBot.DeliveryTests.Harness;

/// <summary>
/// An RSS feed on the loopback <see cref="FakeFeedServer"/> that gains items while the test runs, as a news site
/// does: each <see cref="Grow"/> adds one item per topic in <see cref="Topics"/>. The document holds the newest
/// <see cref="Window"/> items; every version has its own ETag ("v{count}"), so the items a client was ever sent are
/// known from the server's answers (<see cref="Served"/>).
/// </summary>
internal sealed class GrowingFeed
{
    private readonly FakeFeedServer _server;
    private readonly NewsWriter _writer;
    private readonly List<NewsItem> _items = [];
    private readonly Lock _gate = new();
    private bool _stopped;

    public GrowingFeed(FakeFeedServer server, string run, string slug, string name, IReadOnlyList<string> topics, bool lengthy, int window, int seed)
    {
        _server = server;
        Slug = slug;
        Name = name;
        Topics = topics;
        Lengthy = lengthy;
        Window = window;
        _writer = new NewsWriter(run, slug, new Random(seed));
        Publish();
    }

    public string Slug { get; }

    /// <summary>The feed's name in configuration, which digests show as the item's source.</summary>
    public string Name { get; }

    public IReadOnlyList<string> Topics { get; }

    public bool Lengthy { get; }

    /// <summary>How many of the newest items the document holds.</summary>
    public int Window { get; }

    public string Path => $"/feeds/{Slug}.xml";

    public Uri Url => _server.UrlFor(Path);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Every item written so far, oldest first.</summary>
    public IReadOnlyList<NewsItem> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items];
            }
        }
    }

    /// <summary>Adds one item per topic and publishes the new version; does nothing once stopped.</summary>
    public void Grow(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            foreach (var topic in Topics)
            {
                _items.Add(_writer.Write(_items.Count + 1, topic, Lengthy, now));
            }

            Publish();
        }
    }

    /// <summary>No more items from now on; the last version stays published.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
        }
    }

    /// <summary>The items in some version the server answered 200 with: what a client may have stored.</summary>
    public IReadOnlyList<NewsItem> Served()
    {
        var items = Items;
        var served = new bool[items.Count + 1];
        foreach (var version in _server.ResponsesFor(Path).Where(r => r.Status == 200).Select(r => VersionOf(r.ETag)).Distinct())
        {
            for (var sequence = Math.Max(1, version - Window + 1); sequence <= Math.Min(version, items.Count); sequence++)
            {
                served[sequence] = true;
            }
        }

        return [.. items.Where(item => served[item.Sequence])];
    }

    /// <summary>
    /// How many answers (200 or 304) since <paramref name="since"/> told a client it has the newest version; a 304 says
    /// so as well as a 200, since the client showed it had that ETag.
    /// </summary>
    public int AnswersWithNewestVersion(int since = 0) =>
        _server.ResponsesFor(Path).Skip(since).Count(r => VersionOf(r.ETag) == Count);

    public int Answers => _server.ResponsesFor(Path).Count;

    private static int VersionOf(string? etag) =>
        etag is { Length: > 3 } && int.TryParse(etag.AsSpan(2, etag.Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;

    private void Publish()
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>")
            .Append(CultureInfo.InvariantCulture, $"<title>{SecurityElement.Escape(Name)}</title><link>https://news.example/</link><description>Made up for a test.</description>\n");
        foreach (var item in _items.AsEnumerable().Reverse().Take(Window))
        {
            xml.Append(CultureInfo.InvariantCulture, $"<item><guid isPermaLink=\"false\">{item.Guid}</guid><title>{SecurityElement.Escape(item.Title)}</title>")
                .Append(CultureInfo.InvariantCulture, $"<link>{item.Link}</link><description>{SecurityElement.Escape(item.Summary)}</description>")
                .Append(CultureInfo.InvariantCulture, $"<pubDate>{item.Published:R}</pubDate></item>\n");
        }

        xml.Append("</channel></rss>\n");
        _server.Serve(Path, Encoding.UTF8.GetBytes(xml.ToString()), "application/rss+xml", etag: $"\"v{_items.Count}\"");
    }
}
