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
    public override string ToString() => $"{Platform.ToString().ToLowerInvariant()}:{ChannelId}";
}

/// <summary>A command a person sent, e.g. "/brief japan": Name "brief", Argument "japan".</summary>
public sealed record ChatCommand(ChatTarget ReplyTo, string UserId, string Name, string Argument);

/// <summary>The answer to a command: text, and a digest when the command produced one.</summary>
public sealed record ChatReply(string Text, Digest? Digest = null, bool Ephemeral = false, bool IsError = false);
