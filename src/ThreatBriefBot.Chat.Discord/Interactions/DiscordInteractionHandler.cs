using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Discord.Rendering;
using ThreatBriefBot.Chat.Discord.Rest;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Classification;

namespace ThreatBriefBot.Chat.Discord.Interactions;

/// <summary>Sends an interaction's initial response: as the HTTP answer, or to the callback endpoint.</summary>
internal delegate Task InteractionResponder(InteractionResponse response, CancellationToken cancellationToken);

/// <summary>
/// Answers interactions from either transport: PING, autocomplete, and slash commands through Core's
/// <see cref="IChatCommandHandler"/>, within Discord's 3-second deadline (a deferred response, then an edit, when
/// the command takes longer than <see cref="DiscordOptions.DeferAfter"/>).
/// </summary>
internal sealed class DiscordInteractionHandler(
    IServiceProvider services,
    DiscordRestClient rest,
    IOptions<DiscordOptions> options,
    TimeProvider timeProvider,
    ILogger<DiscordInteractionHandler> logger)
{
    public const int Ping = 1;
    public const int ApplicationCommand = 2;
    public const int Autocomplete = 4;

    public const int PongResponse = 1;
    public const int MessageResponse = 4;
    public const int DeferredMessageResponse = 5;
    public const int AutocompleteResponse = 8;

    /// <summary>The message flag: only the person who ran the command sees it.</summary>
    public const int EphemeralFlag = 64;

    public const int MaxAutocompleteChoices = 25;
    public const int MaxChoiceLength = 100;

    public const string WhoMayManage = "members with the Manage Channels permission";

    private static readonly BigInteger ManageChannels = 1 << 4;
    private static readonly BigInteger Administrator = 1 << 3;

    /// <summary>Handles one interaction to the end, follow-ups included; never throws but for cancellation.</summary>
    public async Task HandleAsync(Interaction interaction, InteractionResponder respond, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(respond);
        try
        {
            switch (interaction.Type)
            {
                case Ping:
                    await respond(new InteractionResponse(PongResponse), cancellationToken);
                    break;
                case Autocomplete:
                    await respond(new InteractionResponse(AutocompleteResponse, new InteractionCallbackData { Choices = Suggest(interaction) }), cancellationToken);
                    break;
                case ApplicationCommand when interaction.Data is not null:
                    await CommandAsync(interaction, interaction.Data, respond, cancellationToken);
                    break;
                default:
                    Log.InteractionIgnored(logger, interaction.Id, interaction.Type);
                    break;
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.InteractionFailed(logger, e, interaction.Id, interaction.Data?.Name ?? "");
        }
    }

    private async Task CommandAsync(Interaction interaction, InteractionData data, InteractionResponder respond, CancellationToken cancellationToken)
    {
        var name = data.Name;
        var isBrief = name == "brief";
        var inChannel = isBrief && IsTrue(Option(data, "public"));
        if (interaction.ChannelId is null || interaction.Member is null)
        {
            var refusal = Parts(new ChatReply("Use ThreatBriefBot's commands in a server channel.", Ephemeral: true), EphemeralFlag);
            await respond(new InteractionResponse(MessageResponse, CallbackData(refusal[0])), cancellationToken);
            return;
        }

        var command = new ChatCommand(
            new ChatTarget(ChatPlatform.Discord, interaction.ChannelId),
            interaction.Member.User?.Id ?? interaction.User?.Id ?? "",
            name,
            Argument(data),
            MayManage(interaction.Member.Permissions),
            WhoMayManage);

        // On the thread pool, so a handler that blocks before its first await cannot hold up the deadline.
        var handler = services.GetRequiredService<IChatCommandHandler>();
        var work = Task.Run(() => handler.HandleAsync(command, cancellationToken), cancellationToken);
        var deferral = Task.Delay(options.Value.DeferAfter, timeProvider, cancellationToken);
        if (await Task.WhenAny(work, deferral) == work)
        {
            var reply = await ReplyOf(work, interaction);
            var parts = Parts(reply, reply.Ephemeral || (isBrief && !inChannel) ? EphemeralFlag : null);
            await respond(new InteractionResponse(MessageResponse, CallbackData(parts[0])), cancellationToken);
            await FollowUpAsync(interaction, parts.Skip(1), cancellationToken);
            Log.InteractionAnswered(logger, interaction.Id, name, deferred: false);
            return;
        }

        // Whether the answer is ephemeral is fixed by the deferral; the commands that answer only the asker are known,
        // and so is a refusal.
        var ephemeral = isBrief
            ? !inChannel
            : name is "subscriptions" or "topics" || (ChatCommand.ChangesSubscriptions(name) && !command.MayManageSubscriptions);
        await respond(new InteractionResponse(DeferredMessageResponse, ephemeral ? new InteractionCallbackData { Flags = EphemeralFlag } : null), cancellationToken);
        var late = Parts(await ReplyOf(work, interaction), ephemeral ? EphemeralFlag : null);
        var edit = await rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, late[0] with { Flags = null }, cancellationToken);
        if (!edit.IsSuccess)
        {
            Log.FollowUpRefused(logger, interaction.Id, edit.Describe());
            return;
        }

        await FollowUpAsync(interaction, late.Skip(1), cancellationToken);
        Log.InteractionAnswered(logger, interaction.Id, name, deferred: true);
    }

    private async Task<ChatReply> ReplyOf(Task<ChatReply> work, Interaction interaction)
    {
        try
        {
            return await work;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.InteractionFailed(logger, e, interaction.Id, interaction.Data?.Name ?? "");
            return new ChatReply("Sorry, that did not work; the operators can see why in the bot's log.", Ephemeral: true, IsError: true);
        }
    }

    private async Task FollowUpAsync(Interaction interaction, IEnumerable<DiscordMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            var response = await rest.CreateFollowupMessageAsync(interaction.ApplicationId, interaction.Token, message, cancellationToken);
            if (!response.IsSuccess)
            {
                Log.FollowUpRefused(logger, interaction.Id, response.Describe());
                return;
            }
        }
    }

    private static List<DiscordMessage> Parts(ChatReply reply, int? flags) =>
        [.. DiscordMessageRenderer.RenderReply(reply).Select(m => m with { Flags = flags })];

    private static InteractionCallbackData CallbackData(DiscordMessage message) => new()
    {
        Content = message.Content,
        Embeds = message.Embeds,
        AllowedMentions = message.AllowedMentions,
        Flags = message.Flags,
    };

    private IReadOnlyList<AutocompleteChoice> Suggest(Interaction interaction)
    {
        var focused = interaction.Data?.Options?.FirstOrDefault(o => o.Focused == true);
        if (focused is null)
        {
            return [];
        }

        var typed = focused.Value is { ValueKind: JsonValueKind.String } value ? value.GetString() ?? "" : "";
        var classifier = services.GetRequiredService<IItemClassifier>();
        var countries = services.GetRequiredService<ICountryResolver>();
        var candidates = focused.Name switch
        {
            "topics" => classifier.TopicNames,
            "countries" => countries.CountryNames,
            _ => classifier.TopicNames.Concat(countries.CountryNames).ToList(),
        };

        // Complete the last word typed, keeping the words before it: "japan cy" → "japan cyberattacks".
        var lastSpace = typed.LastIndexOf(' ');
        var before = lastSpace < 0 ? "" : typed[..(lastSpace + 1)];
        var word = typed[(lastSpace + 1)..].Trim();
        var matches = candidates
            .Where(c => c.Contains(word, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .Select(c => before + c);
        if (focused.Name != "topics" && countries.ResolveRegion(typed) is not null)
        {
            matches = matches.Prepend(typed.Trim());
        }

        return [.. matches
            .Where(m => m.Length is > 0 and <= MaxChoiceLength)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(MaxAutocompleteChoices)
            .Select(m => new AutocompleteChoice(m, m))];
    }

    private static string Argument(InteractionData data) => data.Name switch
    {
        "brief" => Text(data, "query"),
        "subscribe" => $"{Text(data, "topics")} {Text(data, "countries")}".Trim(),
        "unsubscribe" => Text(data, "id"),
        _ => "",
    };

    private static string Text(InteractionData data, string name) =>
        Option(data, name) is { ValueKind: JsonValueKind.String } value ? value.GetString()?.Trim() ?? "" : "";

    /// <summary>A boolean option; a string "true" is read too, as some clients send every option as text.</summary>
    private static bool IsTrue(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.String } text => bool.TryParse(text.GetString(), out var parsed) && parsed,
        _ => false,
    };

    private static JsonElement? Option(InteractionData data, string name) =>
        data.Options?.FirstOrDefault(o => o.Name == name)?.Value;

    /// <summary>Discord sends the member's permissions in the channel as a decimal string of any length.</summary>
    internal static bool MayManage(string? permissions) =>
        BigInteger.TryParse(permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var bits)
        && ((bits & ManageChannels) == ManageChannels || (bits & Administrator) == Administrator);
}
