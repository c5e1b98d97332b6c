using System.Globalization;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Discord.Interactions;
using ThreatBriefBot.Chat.Discord.Rest;

namespace ThreatBriefBot.Chat.Discord;

/// <summary>Checks the "Discord" section at start-up and reports every problem at once, each with its key.</summary>
/// <param name="receiveCommands">True when this process answers slash commands, which needs the application id.</param>
internal sealed class DiscordOptionsValidator(bool receiveCommands) : IValidateOptions<DiscordOptions>
{
    private const string Section = DiscordOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BotToken))
        {
            failures.Add($"{Section}:BotToken is required when {Section}:Enabled is true; set the environment variable {Section}__BotToken or a user secret");
        }

        if (!options.ApiBaseUrl.IsAbsoluteUri || options.ApiBaseUrl.Scheme is not ("http" or "https") || !options.ApiBaseUrl.AbsolutePath.EndsWith('/'))
        {
            failures.Add($"{Section}:ApiBaseUrl must be an absolute http(s) URL ending with '/', e.g. https://discord.com/api/v10/");
        }

        if (options.GatewayUrl is { OriginalString.Length: > 0 } gateway && (!gateway.IsAbsoluteUri || gateway.Scheme is not ("ws" or "wss")))
        {
            failures.Add($"{Section}:GatewayUrl must be an absolute ws:// or wss:// URL, or empty to ask Discord");
        }

        var needsApplication = receiveCommands || options.Mode == DiscordMode.Http;
        if (needsApplication && string.IsNullOrWhiteSpace(options.ApplicationId))
        {
            failures.Add($"{Section}:ApplicationId is required to receive slash commands (the application's id from the Developer Portal)");
        }
        else if (!string.IsNullOrWhiteSpace(options.ApplicationId) && !IsSnowflake(options.ApplicationId))
        {
            failures.Add($"{Section}:ApplicationId '{options.ApplicationId}' is not a Discord id (digits only)");
        }

        for (var i = 0; i < options.GuildIds.Count; i++)
        {
            if (!IsSnowflake(options.GuildIds[i]))
            {
                failures.Add($"{Section}:GuildIds:{i} '{options.GuildIds[i]}' is not a Discord id (digits only)");
            }
        }

        if (options.Mode == DiscordMode.Http)
        {
            if (options.PublicKey is null || !DiscordSignatureVerifier.IsValidKey(options.PublicKey))
            {
                failures.Add($"{Section}:PublicKey must be the application's Ed25519 public key, 64 hex characters, when {Section}:Mode is Http");
            }

            if (!options.InteractionsListenUrl.IsAbsoluteUri || options.InteractionsListenUrl.Scheme is not ("http" or "https"))
            {
                failures.Add($"{Section}:InteractionsListenUrl must be an absolute http(s) URL, e.g. http://127.0.0.1:5080");
            }
        }

        foreach (var (webhook, url) in options.Webhooks)
        {
            if (!DiscordWebhookUrl.TryParse(url, out _))
            {
                failures.Add($"{Section}:Webhooks:{webhook} is not a Discord webhook URL (https://discord.com/api/webhooks/<id>/<token>)");
            }
        }

        if (options.DeferAfter < TimeSpan.Zero || options.DeferAfter > TimeSpan.FromSeconds(2.5))
        {
            failures.Add($"{Section}:DeferAfter must be between 00:00:00 and 00:00:02.5: Discord drops an interaction not answered within 3 s");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Section}:RequestTimeout must be more than zero and at most 00:05:00");
        }

        if (options.MaxTransientRetries is < 0 or > 10)
        {
            failures.Add($"{Section}:MaxTransientRetries must be between 0 and 10");
        }

        if (options.RetryBackoff < TimeSpan.Zero || options.ReconnectDelay <= TimeSpan.Zero || options.MaxReconnectDelay < options.ReconnectDelay)
        {
            failures.Add($"{Section}:RetryBackoff must not be negative, ReconnectDelay must be positive and MaxReconnectDelay at least ReconnectDelay");
        }

        if (options.GlobalRequestsPerSecond < 1)
        {
            failures.Add($"{Section}:GlobalRequestsPerSecond must be at least 1 (Discord allows 50)");
        }

        if (options.InvalidRequestLimit is < 1 or > 9000)
        {
            failures.Add($"{Section}:InvalidRequestLimit must be between 1 and 9000: Discord bans the IP at 10,000 in ten minutes");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsSnowflake(string value) =>
        value.Length is > 0 and <= 20 && value.All(char.IsAsciiDigit) && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
