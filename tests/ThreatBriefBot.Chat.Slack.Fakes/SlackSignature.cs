using System.Security.Cryptography;
using System.Text;

namespace ThreatBriefBot.Chat.Slack.Fakes;

/// <summary>Slack's request signature (v0): "v0=" + hex(HMAC-SHA256(signing secret, "v0:{timestamp}:{body}")).</summary>
public static class SlackSignature
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    /// <param name="signingSecret">Used as UTF-8 text, not hex-decoded, as Slack does.</param>
    public static string Compute(string signingSecret, string timestamp, string body)
    {
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"));
        return "v0=" + Convert.ToHexStringLower(hash);
    }
}
