using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Core.Subscriptions;

namespace ThreatBriefBot.Core.Commands;

/// <summary>
/// The platform-neutral commands: <c>brief</c>, <c>subscribe</c>, <c>unsubscribe</c>, <c>subscriptions</c>,
/// <c>topics</c>, <c>help</c>. Chat adapters call it for their slash commands; the CLI calls it too.
/// </summary>
public sealed class ChatCommandHandler(
    BriefService briefs,
    BriefQueryResolver resolver,
    ISubscriptionStore subscriptions,
    ISubscriptionScheduler scheduler,
    IItemClassifier classifier,
    ICountryResolver countries,
    IOptions<DigestOptions> options) : IChatCommandHandler
{
    public const string Usage =
        "Commands: brief <country|region|topic|keywords> · subscribe <topics> [countries] · unsubscribe [id] · subscriptions · topics · help";

    public async Task<ChatReply> HandleAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return ChatCommand.NameOf(command.Name) switch
        {
            "brief" => await BriefAsync(command.Argument, cancellationToken),
            var name when ChatCommand.ChangesSubscriptions(name) && !command.MayManageSubscriptions => Refuse(command),
            "subscribe" => await SubscribeAsync(command, cancellationToken),
            "unsubscribe" => await UnsubscribeAsync(command, cancellationToken),
            "subscriptions" => await ListAsync(command.ReplyTo, cancellationToken),
            "topics" => Topics(),
            "help" => new ChatReply(Usage, Ephemeral: true),
            var other => new ChatReply($"Unknown command '{other}'. {Usage}", Ephemeral: true, IsError: true),
        };
    }

    private static ChatReply Refuse(ChatCommand command) => new(
        $"Sorry, only {command.WhoMayManage ?? "channel managers"} can change this channel's subscriptions. " +
        "Anyone can use 'brief', 'subscriptions' and 'topics'.",
        Ephemeral: true,
        IsError: true);

    private async Task<ChatReply> BriefAsync(string argument, CancellationToken cancellationToken) =>
        (await briefs.BriefAsync(argument, new BriefSettings(), cancellationToken)).ToReply();

    private async Task<ChatReply> SubscribeAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        var query = resolver.Resolve(command.Argument);
        if (query.Topics.Count == 0 || query.Text is not null)
        {
            var unknown = query.Text is null ? "" : $"'{query.Text}' is not a topic or country. ";
            return new ChatReply(
                $"{unknown}Usage: subscribe <topics> [countries], e.g. 'subscribe cyberattacks japan'. Topics: {string.Join(", ", classifier.TopicNames)}.",
                Ephemeral: true,
                IsError: true);
        }

        var subscription = new Subscription(
            SubscriptionId(command.ReplyTo, query.Topics, query.AllCountries),
            command.ReplyTo,
            query.Topics,
            query.AllCountries,
            options.Value.DefaultCron,
            options.Value.DefaultTimeZone,
            FromConfiguration: false);
        await subscriptions.SaveAsync(subscription, cancellationToken);

        // Subscribing again is how a channel that was closed to the bot, and is open again, gets digests back.
        await subscriptions.ResumeAsync(subscription.Id, cancellationToken);
        await scheduler.ScheduleAsync(subscription, cancellationToken);
        return new ChatReply($"Subscribed this channel: {Describe(subscription)} (id {subscription.Id}).");
    }

    private async Task<ChatReply> UnsubscribeAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        var mine = (await subscriptions.ListAsync(cancellationToken)).Where(s => s.Target == command.ReplyTo).ToList();
        var id = command.Argument.Trim();
        var chosen = id.Length == 0 ? mine : mine.Where(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase)).ToList();
        if (chosen.Count == 0)
        {
            var configured = ConfiguredFor(command.ReplyTo).Any(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase));
            return new ChatReply(
                configured
                    ? $"'{id}' is defined by the operators in configuration; ask them to change it."
                    : id.Length == 0 ? "This channel has no subscriptions made from chat." : $"This channel has no subscription '{id}'. See 'subscriptions'.",
                Ephemeral: true,
                IsError: !configured && id.Length > 0);
        }

        foreach (var subscription in chosen)
        {
            await subscriptions.RemoveAsync(subscription.Id, cancellationToken);
            await subscriptions.ResumeAsync(subscription.Id, cancellationToken);
            await scheduler.UnscheduleAsync(subscription.Id, cancellationToken);
        }

        return new ChatReply($"Unsubscribed: {string.Join(", ", chosen.Select(s => s.Id))}.");
    }

    private async Task<ChatReply> ListAsync(ChatTarget target, CancellationToken cancellationToken)
    {
        var all = ConfiguredFor(target)
            .Concat((await subscriptions.ListAsync(cancellationToken)).Where(s => s.Target == target))
            .ToList();
        if (all.Count == 0)
        {
            return new ChatReply("This channel has no subscriptions. Try 'subscribe cyberattacks'.", Ephemeral: true);
        }

        var paused = (await subscriptions.ListPausesAsync(cancellationToken)).ToDictionary(p => p.SubscriptionId, StringComparer.Ordinal);
        var lines = all.Select(s =>
            $"• {s.Id}: {Describe(s)}{(s.FromConfiguration ? " (set by operators)" : "")}" +
            (paused.TryGetValue(s.Id, out var pause) ? $" (paused since {pause.PausedAt:yyyy-MM-dd HH:mm} UTC: {pause.Reason})" : ""));
        return new ChatReply("Subscriptions for this channel:\n" + string.Join('\n', lines), Ephemeral: true);
    }

    private ChatReply Topics() =>
        new("Topics: " + string.Join(", ", classifier.TopicNames) + ". Ask 'brief <topic>' or 'subscribe <topic>'.", Ephemeral: true);

    private IEnumerable<Subscription> ConfiguredFor(ChatTarget target) =>
        options.Value.Subscriptions.Select(s => s.ToSubscription()).Where(s => s.Target == target);

    private string Describe(Subscription subscription)
    {
        var where = subscription.Countries.Count == 0 ? "" : " about " + string.Join(", ", subscription.Countries.Select(countries.NameOf));
        return $"{string.Join(", ", subscription.Topics)}{where}, cron '{subscription.Cron}' {subscription.TimeZone}";
    }

    /// <summary>Same channel and same filters give the same id, so subscribing twice replaces rather than duplicates.</summary>
    private static string SubscriptionId(ChatTarget target, IEnumerable<string> topics, IEnumerable<string> countryCodes)
    {
        var key = string.Join('|', target.ToString(), string.Join(',', topics.Order(StringComparer.Ordinal)), string.Join(',', countryCodes.Order(StringComparer.Ordinal)));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return "sub-" + Convert.ToHexStringLower(hash)[..8];
    }
}
