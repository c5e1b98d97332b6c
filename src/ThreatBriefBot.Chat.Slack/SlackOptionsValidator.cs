using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ThreatBriefBot.Chat.Slack;

/// <summary>
/// Checks the "Slack" section at start-up when Slack is enabled, reporting every problem at once, each naming
/// its setting and, for secrets, where to put them.
/// </summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    private const string Section = SlackOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BotToken))
        {
            failures.Add(MissingSecret(nameof(SlackOptions.BotToken), $"{Section}:Enabled is true"));
        }
        else if (options.BotToken.StartsWith("xapp-", StringComparison.Ordinal))
        {
            failures.Add($"{Section}:BotToken is an app-level token (xapp-…); it must be the bot token (xoxb-…) from the app's OAuth page");
        }

        if (options.Mode == SlackMode.SocketMode)
        {
            if (string.IsNullOrWhiteSpace(options.AppToken))
            {
                failures.Add(MissingSecret(nameof(SlackOptions.AppToken), $"{Section}:Mode is SocketMode (an app-level token xapp-… with connections:write)"));
            }
            else if (!options.AppToken.StartsWith("xapp-", StringComparison.Ordinal))
            {
                failures.Add($"{Section}:AppToken must be an app-level token (xapp-…) with the connections:write scope");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.SigningSecret))
        {
            failures.Add(MissingSecret(nameof(SlackOptions.SigningSecret), $"{Section}:Mode is Http"));
        }

        if (options.Mode == SlackMode.Http && !IsHttpUrl(options.CommandsListenUrl))
        {
            failures.Add($"{Section}:CommandsListenUrl must be an absolute http(s) URL such as http://127.0.0.1:5081");
        }

        if (options.AdminUserIds.Count == 0 && string.IsNullOrWhiteSpace(options.AdminUserGroup))
        {
            // Stricter than silently letting nobody (or everybody) subscribe: the operator decides who may.
            failures.Add($"{Section}:AdminUserIds or {Section}:AdminUserGroup is required when {Section}:Enabled is true: they name who may subscribe and unsubscribe channels from Slack");
        }

        for (var i = 0; i < options.AdminUserIds.Count; i++)
        {
            if (!IsSlackId(options.AdminUserIds[i], "UW"))
            {
                failures.Add($"{Section}:AdminUserIds:{i}: '{options.AdminUserIds[i]}' is not a Slack user id (U… or W…)");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.AdminUserGroup) && !IsSlackId(options.AdminUserGroup, "S"))
        {
            failures.Add($"{Section}:AdminUserGroup: '{options.AdminUserGroup}' is not a Slack user group id (S…)");
        }

        foreach (var (webhook, url) in options.Webhooks)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !IsHttpUrl(uri))
            {
                failures.Add($"{Section}:Webhooks:{webhook} must be an incoming-webhook URL (https://hooks.slack.com/services/…); set it as the environment variable {Section}__Webhooks__{webhook} or a user secret");
            }
        }

        if (!IsHttpUrl(options.ApiBaseUrl) || !options.ApiBaseUrl.AbsolutePath.EndsWith('/'))
        {
            failures.Add($"{Section}:ApiBaseUrl must be an absolute http(s) URL ending with '/', e.g. https://slack.com/api/");
        }

        if (options.MaxReconnectDelay < options.ReconnectDelay)
        {
            failures.Add($"{Section}:MaxReconnectDelay must not be shorter than {Section}:ReconnectDelay");
        }

        // The bounds are the [Range] attributes on SlackOptions, reported here with the full key.
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{Section}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string MissingSecret(string setting, string when) =>
        $"{Section}:{setting} is required when {when}; set the environment variable {Section}__{setting} or a user secret";

    private static bool IsHttpUrl(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool IsSlackId(string id, string prefixes) =>
        id.Length >= 3 && prefixes.Contains(id[0], StringComparison.Ordinal) && id.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));
}
