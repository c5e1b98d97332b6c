using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Slack.WebApi;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack.Commands;

/// <summary>
/// Who may change a channel's subscriptions from Slack: the users in Slack:AdminUserIds and the members of
/// Slack:AdminUserGroup (read with usergroups.users.list, remembered briefly). A failed lookup refuses.
/// </summary>
internal sealed class SlackAdmins(SlackWebApiClient api, IOptions<SlackOptions> options, TimeProvider timeProvider, ILogger<SlackAdmins> logger)
{
    private readonly Lock _gate = new();
    private Task<HashSet<string>>? _groupMembers;
    private DateTimeOffset _fetchedAt;

    /// <summary>The admins as Slack renders them: user mentions and the group's mention. Only the bot puts these in replies.</summary>
    public IReadOnlyCollection<string> Mentions { get; } =
        [.. options.Value.AdminUserIds.Select(id => $"<@{id}>"), .. GroupMention(options.Value.AdminUserGroup)];

    /// <summary>Told to a user who may not, e.g. "the bot's admins (&lt;@U1&gt;, &lt;@U2&gt;) or members of &lt;!subteam^S1&gt;".</summary>
    public string WhoMayManage
    {
        get
        {
            var users = options.Value.AdminUserIds.Count == 0 ? null : $"the bot's admins ({string.Join(", ", options.Value.AdminUserIds.Select(id => $"<@{id}>"))})";
            var group = GroupMention(options.Value.AdminUserGroup).Select(g => $"members of {g}").FirstOrDefault();
            return users is not null && group is not null ? $"{users} or {group}" : users ?? group ?? "the bot's admins";
        }
    }

    public async Task<bool> MayManageAsync(string userId, CancellationToken cancellationToken)
    {
        if (options.Value.AdminUserIds.Contains(userId, StringComparer.Ordinal))
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(options.Value.AdminUserGroup))
        {
            return false;
        }

        try
        {
            return (await GroupMembersAsync().WaitAsync(cancellationToken)).Contains(userId);
        }
        catch (Exception e) when (e is HttpRequestException or ChatDeliveryException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.AdminGroupLookupFailed(logger, e, options.Value.AdminUserGroup);
            return false;
        }
    }

    /// <summary>One lookup shared by concurrent commands; a failed one is not remembered.</summary>
    private Task<HashSet<string>> GroupMembersAsync()
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            if (_groupMembers is null || _groupMembers.IsFaulted || _groupMembers.IsCanceled
                || (_groupMembers.IsCompleted && now - _fetchedAt >= options.Value.AdminGroupCacheDuration))
            {
                _groupMembers = FetchAsync(options.Value.AdminUserGroup!);
                _fetchedAt = now;
            }

            return _groupMembers;
        }
    }

    // Not tied to one command's token: other commands may be waiting for the same answer.
    private async Task<HashSet<string>> FetchAsync(string group) =>
        [.. await api.UserGroupMembersAsync(group, CancellationToken.None)];

    private static IEnumerable<string> GroupMention(string? group) =>
        string.IsNullOrWhiteSpace(group) ? [] : [$"<!subteam^{group}>"];
}
