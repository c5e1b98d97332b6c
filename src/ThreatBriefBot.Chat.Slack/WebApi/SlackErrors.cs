using System.Collections.Frozen;
using System.Net;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack.WebApi;

/// <summary>What Slack's error codes and rate-limit answers mean for the bot (platform-apis B1, B5, B9).</summary>
internal static class SlackErrors
{
    /// <summary>The channel is gone or closed to the bot: pause the subscription until someone acts.</summary>
    private static readonly FrozenSet<string> TargetUnavailable = FrozenSet.Create(
        StringComparer.Ordinal,
        "channel_not_found", "not_in_channel", "is_archived", "channel_is_archived", "no_service", "no_team",
        "action_prohibited", "posting_to_general_channel_denied", "restricted_action", "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel", "restricted_action_non_threadable_channel", "team_access_not_granted");

    /// <summary>The token is refused: pause until ops fix it.</summary>
    private static readonly FrozenSet<string> NotAuthorized = FrozenSet.Create(
        StringComparer.Ordinal,
        "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired", "missing_scope",
        "not_allowed_token_type", "no_permission", "invalid_token", "no_active_hooks", "team_disabled", "org_login_required",
        "ekm_access_denied", "user_removed_from_team");

    /// <summary>Slack's own trouble: worth another try after a pause.</summary>
    private static readonly FrozenSet<string> Transient = FrozenSet.Create(
        StringComparer.Ordinal, "internal_error", "fatal_error", "service_unavailable", "request_timeout");

    /// <summary>"ratelimited" comes with HTTP 429; "rate_limited" (too many messages) with 200 — both mean wait.</summary>
    public static bool IsRateLimit(string? error) => error is "ratelimited" or "rate_limited";

    public static bool IsTransient(string? error) => error is not null && Transient.Contains(error);

    public static ChatDeliveryFailure Classify(string error) =>
        TargetUnavailable.Contains(error) ? ChatDeliveryFailure.TargetUnavailable
        : NotAuthorized.Contains(error) ? ChatDeliveryFailure.NotAuthorized
        : ChatDeliveryFailure.Rejected;

    /// <summary>An incoming webhook's error: its code in the body, or failing that its HTTP status (B9).</summary>
    public static ChatDeliveryFailure ClassifyWebhook(HttpStatusCode status, string error) =>
        TargetUnavailable.Contains(error) || NotAuthorized.Contains(error)
            ? Classify(error)
            : status switch
            {
                HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.Forbidden => ChatDeliveryFailure.TargetUnavailable,
                HttpStatusCode.Unauthorized => ChatDeliveryFailure.NotAuthorized,
                _ => ChatDeliveryFailure.Rejected,
            };

    public static ChatDeliveryException ToException(string what, string error, ChatDeliveryFailure failure) =>
        new(failure, error, $"Slack refused {what}: {error}{Hint(error, failure)}");

    private static string Hint(string error, ChatDeliveryFailure failure) => error switch
    {
        "not_in_channel" => " (invite the bot to the channel, or grant it chat:write.public)",
        "channel_not_found" => " (the channel does not exist, or the bot cannot see it)",
        "is_archived" or "channel_is_archived" => " (the channel is archived)",
        "missing_scope" => " (the bot token lacks a scope: chat:write, usergroups:read for Slack:AdminUserGroup)",
        _ when failure == ChatDeliveryFailure.NotAuthorized => " (check Slack:BotToken / Slack:AppToken)",
        _ when failure == ChatDeliveryFailure.Rejected => " (the bot sent something Slack does not accept: a bug)",
        _ => "",
    };

}
