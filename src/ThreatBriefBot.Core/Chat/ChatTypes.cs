using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Core.Chat;

/// <summary>The chat platforms the bot can post to. Console is the embedded default: stdout, no token.</summary>
public enum ChatPlatform
{
    Console,
    Discord,
    Slack,
}

/// <summary>A channel on a platform.</summary>
public sealed record ChatTarget(ChatPlatform Platform, string ChannelId)
{
    /// <summary>A channel written "webhook:&lt;name&gt;" is a webhook whose URL is a secret the platform's adapter holds.</summary>
    public const string WebhookPrefix = "webhook:";

    /// <summary>The webhook's name when the channel is one, else null.</summary>
    public string? WebhookName => ChannelId.StartsWith(WebhookPrefix, StringComparison.OrdinalIgnoreCase) ? ChannelId[WebhookPrefix.Length..] : null;

    public override string ToString() => $"{Platform.ToString().ToLowerInvariant()}:{ChannelId}";
}

/// <summary>A command a person sent, e.g. "/brief japan": Name "brief", Argument "japan".</summary>
/// <param name="MayManageSubscriptions">
/// Whether the platform says this person may change the channel's subscriptions (Discord: Manage Channels; Slack:
/// a configured admin). The adapter decides, since only it can read the platform's permissions.
/// </param>
/// <param name="WhoMayManage">Told to a person who may not, e.g. "members with Manage Channels".</param>
public sealed record ChatCommand(
    ChatTarget ReplyTo,
    string UserId,
    string Name,
    string Argument,
    bool MayManageSubscriptions = true,
    string? WhoMayManage = null)
{
    /// <summary>Whether a command of this name changes a channel's subscriptions, so the caller's rights matter.</summary>
    public static bool ChangesSubscriptions(string name) =>
        NameOf(name) is "subscribe" or "unsubscribe";

    /// <summary>The command's name as the handler matches it: "/Brief " is "brief".</summary>
    public static string NameOf(string name) => (name ?? "").Trim().TrimStart('/').ToLowerInvariant();
}

/// <summary>The answer to a command: text, and a digest when the command produced one.</summary>
public sealed record ChatReply(string Text, Digest? Digest = null, bool Ephemeral = false, bool IsError = false);
