using System.Diagnostics.CodeAnalysis;

namespace ThreatBriefBot.Chat.Discord.Rest;

/// <summary>A webhook's id and token, read from the URL a person pasted.</summary>
internal sealed record DiscordWebhookUrl(string Id, string Token)
{
    /// <summary>
    /// Accepts https://discord.com/api/webhooks/ID/TOKEN, the /api/v10/ form, and the older discordapp.com and
    /// ptb/canary hosts. Only the id and token are kept: the bot sends to its own configured API base (v10), so a
    /// pasted URL can neither pick the deprecated default API version nor send the token to another host.
    /// </summary>
    public static bool TryParse(string? url, [NotNullWhen(true)] out DiscordWebhookUrl? webhook)
    {
        webhook = null;
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return false;
        }

        var segments = uri.AbsolutePath.Trim('/').Split('/');
        var at = Array.IndexOf(segments, "webhooks");
        if (at < 0 || segments.Length != at + 3 || !DiscordOptionsValidator.IsSnowflake(segments[at + 1]) || segments[at + 2].Length == 0
            || !segments[at + 2].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return false;
        }

        webhook = new DiscordWebhookUrl(segments[at + 1], segments[at + 2]);
        return true;
    }

    public override string ToString() => $"webhook {Id}";
}
