using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ThreatBriefBot.Core.Digests;

/// <summary>
/// Stable keys for scheduled digests and their parts. The same subscription and fire time always give the same key,
/// so a digest decided before a crash is found again after it, and a part re-sent carries the key it first had.
/// </summary>
public static class DigestKeys
{
    /// <summary>"d" and 24 hex digits (96 bits): short enough for every platform's idempotency and metadata fields.</summary>
    public static string For(string subscriptionId, DateTimeOffset fireTime)
    {
        ArgumentNullException.ThrowIfNull(subscriptionId);
        var text = string.Create(CultureInfo.InvariantCulture, $"{subscriptionId}|{fireTime.UtcDateTime:O}");
        return "d" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
    }

    public static string PartKey(string digestKey, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{digestKey}.{index}");
}
