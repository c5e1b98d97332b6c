namespace ThreatBriefBot.Core.Items;

/// <summary>
/// One entry as read from one feed, already cleaned to plain text, before it is classified and stored.
/// </summary>
/// <param name="FeedName">The configured name of the feed it came from.</param>
/// <param name="EntryKey">Its identity within that feed (see <see cref="ItemIdentity.EntryKey"/>).</param>
/// <param name="Title">Plain text, never markup.</param>
/// <param name="Link">Absolute http(s) link, or null when the feed gave none that is safe.</param>
/// <param name="Summary">Plain text, never markup; may be empty.</param>
/// <param name="Published">When the publisher says it was published, if the feed says so readably.</param>
public sealed record IncomingItem(
    string FeedName,
    string EntryKey,
    string Title,
    string? Link,
    string Summary,
    DateTimeOffset? Published)
{
    /// <summary>The key that joins the same story arriving from several feeds.</summary>
    public string StoryKey => ItemIdentity.StoryKey(Link, Title);

    /// <summary>Finds the same story under another link by its text; null for a text too short to tell.</summary>
    public StoryFingerprint? Fingerprint => StoryFingerprint.Compute(Title, Summary);
}
