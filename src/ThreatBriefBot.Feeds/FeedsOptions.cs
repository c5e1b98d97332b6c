using System.ComponentModel.DataAnnotations;

namespace ThreatBriefBot.Feeds;

/// <summary>The "Feeds" section: which feeds to poll, how often, and how politely.</summary>
public sealed class FeedsOptions
{
    public const string SectionName = "Feeds";

    /// <summary>Quartz cron (seconds first) for feeds without a cron of their own.</summary>
    public string DefaultCron { get; set; } = "0 */15 * * * ?";

    /// <summary>Sent on every request, so publishers can tell who polls them.</summary>
    [Required]
    public string UserAgent { get; set; } = "ThreatBriefBot/1.0 (+https://github.com/threatbriefbot)";

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A document larger than this (after decompression) is refused, not read.</summary>
    [Range(1024, 512L * 1024 * 1024)]
    public long MaxDocumentBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>The feeds from configuration. More can be added at run time with <c>feeds add</c>.</summary>
    public List<FeedOptions> Items { get; set; } = [];
}

/// <summary>One configured feed.</summary>
public sealed class FeedOptions
{
    /// <summary>Unique name, shown as the item's source.</summary>
    public string Name { get; set; } = "";

    /// <summary>An http(s) URL, or a file path (relative paths are read from the configuration file's folder).</summary>
    public string Source { get; set; } = "";

    /// <summary>Its own poll schedule; empty for <see cref="FeedsOptions.DefaultCron"/>.</summary>
    public string? Cron { get; set; }
}
