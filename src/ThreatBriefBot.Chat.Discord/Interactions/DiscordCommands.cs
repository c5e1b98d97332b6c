using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Discord.Rest;

namespace ThreatBriefBot.Chat.Discord.Interactions;

/// <summary>The slash commands, and their registration at start-up by bulk overwrite (omitted commands are deleted).</summary>
internal sealed class DiscordCommands(DiscordRestClient rest, IOptions<DiscordOptions> options, ILogger<DiscordCommands> logger)
{
    public const int ChatInput = 1;
    public const int StringOption = 3;
    public const int BooleanOption = 5;
    public const int GuildContext = 0;
    public const int GuildInstall = 0;

    /// <summary>What a person may type into one option; the command handler checks it again.</summary>
    private const int MaxOptionLength = 200;

    /// <summary>
    /// Guild channels only: the Manage Channels check reads <c>member.permissions</c>, which a DM does not have.
    /// subscribe/unsubscribe stay visible to everyone so that a member without the permission gets a polite refusal
    /// rather than a missing command.
    /// </summary>
    public static IReadOnlyList<ApplicationCommand> Definitions { get; } =
    [
        Command("brief", "An on-demand digest for a country, region, topic or keywords",
        [
            new(StringOption, "query", "A country, region, topic or keywords, e.g. japan", Required: true, Autocomplete: true, MaxLength: MaxOptionLength),
            new(BooleanOption, "public", "Post the brief in the channel for everyone (by default only you see it)"),
        ]),
        Command("subscribe", "Send this channel a digest of these topics (needs Manage Channels)",
        [
            new(StringOption, "topics", "One or more topics, e.g. cyberattacks trade", Required: true, Autocomplete: true, MaxLength: MaxOptionLength),
            new(StringOption, "countries", "Only items about these countries or regions, e.g. japan", Autocomplete: true, MaxLength: MaxOptionLength),
        ]),
        Command("unsubscribe", "Stop this channel's digests, or only the one with this id (needs Manage Channels)",
        [
            new(StringOption, "id", "A subscription id from /subscriptions", MaxLength: MaxOptionLength),
        ]),
        Command("subscriptions", "List this channel's digest subscriptions", null),
        Command("topics", "List the topics the bot can brief and subscribe to", null),
    ];

    /// <summary>Overwrites the commands globally, or in each configured guild (where changes show at once).</summary>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var applicationId = options.Value.ApplicationId!;
        IReadOnlyList<string?> guilds = options.Value.GuildIds.Count > 0 ? [.. options.Value.GuildIds] : [null];
        foreach (var guild in guilds)
        {
            var response = await rest.BulkOverwriteCommandsAsync(applicationId, guild, Definitions, cancellationToken);
            if (!response.IsSuccess)
            {
                throw new HttpRequestException($"Registering slash commands {(guild is null ? "globally" : "in guild " + guild)} failed: {response.Describe()}", null, response.Status);
            }

            Log.CommandsRegistered(logger, Definitions.Count, guild ?? "all guilds");
        }
    }

    private static ApplicationCommand Command(string name, string description, IReadOnlyList<ApplicationCommandOption>? commandOptions) =>
        new(name, description, commandOptions, ChatInput, [GuildContext], [GuildInstall]);
}
