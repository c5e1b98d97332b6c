using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ThreatBriefBot.Core.Items;

/// <summary>
/// How items are told apart. An entry is identified within its feed by its guid, else its link, else a hash of
/// its content, so a re-poll stores nothing twice. A story is identified across feeds by its normalised link
/// (else its normalised title), so the same story from three feeds is stored once with three sources.
/// </summary>
public static class ItemIdentity
{
    private static readonly string[] TrackingParameterPrefixes = ["utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid"];

    /// <summary>
    /// The identity of an entry within its feed: its guid, else its canonical link (see <see cref="NormaliseLink"/>),
    /// else a hash of its normalised title and summary. Neither a guid nor a link depends on the entry's date or
    /// title, so a publisher rewriting those does not make the entry new.
    /// </summary>
    public static string EntryKey(string? entryGuid, string? link, string title, string summary)
    {
        if (!string.IsNullOrWhiteSpace(entryGuid))
        {
            return "guid:" + entryGuid.Trim();
        }

        if (NormaliseLink(link) is { } canonicalLink)
        {
            return "link:" + canonicalLink;
        }

        return "hash:" + Hash(NormaliseText(title) + "\n" + NormaliseText(summary));
    }

    /// <summary>The key that joins one story across feeds: the normalised link, else the normalised title.</summary>
    public static string StoryKey(string? link, string title)
    {
        var normalisedLink = NormaliseLink(link);
        return normalisedLink is not null ? "link:" + normalisedLink : "title:" + NormaliseText(title);
    }

    /// <summary>A short, stable, URL-safe id for a story key.</summary>
    public static string StoryId(string storyKey) => Hash(storyKey)[..16];

    /// <summary>
    /// Lower-cases scheme and host, drops "www.", the fragment, tracking parameters and a trailing slash, so
    /// that http/https and campaign-tagged copies of one article compare equal.
    /// </summary>
    public static string? NormaliseLink(string? link)
    {
        if (string.IsNullOrWhiteSpace(link) || !Uri.TryCreate(link.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var host = uri.Host.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal))
        {
            host = host[4..];
        }

        var query = string.Join('&', uri.Query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !TrackingParameterPrefixes.Any(t => p.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal));
        var path = uri.AbsolutePath.TrimEnd('/');
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        return host + port + path + (query.Length > 0 ? "?" + query : "");
    }

    /// <summary>Letters and digits only, lower-cased and NFKC-normalised, words separated by one space.</summary>
    internal static string NormaliseText(string text)
    {
        var builder = new StringBuilder(text.Length);
        var lastWasSpace = true;
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                lastWasSpace = false;
            }
            else if (!lastWasSpace)
            {
                builder.Append(' ');
                lastWasSpace = true;
            }
        }

        return builder.ToString().TrimEnd();
    }

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
