using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Commands;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Tests.TestUtils;

namespace ThreatBriefBot.Tests.Commands;

public class ChatCommandHandlerTests
{
    private static readonly ChatTarget Channel = new(ChatPlatform.Discord, "123");
    private readonly InMemorySubscriptionStore _subscriptions = new();
    private readonly RecordingScheduler _scheduler = new();
    private readonly DigestOptions _options = new()
    {
        Subscriptions = [new SubscriptionOptions { Name = "ops-daily", Platform = ChatPlatform.Discord, Channel = "123", Topics = ["climate"], Cron = "0 0 8 * * ?" }],
    };

    private readonly ChatCommandHandler _handler;

    public ChatCommandHandlerTests()
    {
        var classifier = new WordClassifier();
        var gazetteer = new SmallGazetteer();
        var resolver = new BriefQueryResolver(classifier, gazetteer);
        var options = Options.Create(_options);
        var briefs = new BriefService(new InMemoryItemStore(), resolver, classifier, gazetteer, options, new FakeTimeProvider());
        _handler = new ChatCommandHandler(briefs, resolver, _subscriptions, _scheduler, classifier, gazetteer, options);
    }

    private Task<ChatReply> SendAsync(string name, string argument = "") =>
        _handler.HandleAsync(new ChatCommand(Channel, "u1", name, argument), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Subscribe_TopicsAndCountry_StoredScheduledAndConfirmed()
    {
        var reply = await SendAsync("/subscribe", "cyberattacks japan");

        var stored = Assert.Single(await _subscriptions.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["cyberattacks"], stored.Topics);
        Assert.Equal(["JP"], stored.Countries);
        Assert.Equal(Channel, stored.Target);
        Assert.Equal([stored.Id], _scheduler.Scheduled);
        Assert.Contains(stored.Id, reply.Text, StringComparison.Ordinal);
        Assert.False(reply.IsError);
    }

    [Fact]
    public async Task Subscribe_Twice_ReplacesRatherThanDuplicates()
    {
        await SendAsync("subscribe", "trade china");
        await SendAsync("subscribe", "trade china");

        Assert.Single(await _subscriptions.ListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Subscribe_UnknownWord_ErrorNamesIt()
    {
        var reply = await SendAsync("subscribe", "cyberattacks atlantis");

        Assert.True(reply.IsError);
        Assert.Contains("'atlantis'", reply.Text, StringComparison.Ordinal);
        Assert.Empty(await _subscriptions.ListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Unsubscribe_NoArgument_RemovesThisChannelsChatSubscriptions()
    {
        await SendAsync("subscribe", "trade");
        var id = (await _subscriptions.ListAsync(TestContext.Current.CancellationToken)).Single().Id;

        var reply = await SendAsync("unsubscribe");

        Assert.Empty(await _subscriptions.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal([id], _scheduler.Unscheduled);
        Assert.False(reply.IsError);
    }

    [Fact]
    public async Task Unsubscribe_ConfiguredSubscription_RefusedWithReason()
    {
        var reply = await SendAsync("unsubscribe", "ops-daily");

        Assert.Contains("configuration", reply.Text, StringComparison.Ordinal);
        Assert.Empty(_scheduler.Unscheduled);
    }

    [Fact]
    public async Task Subscriptions_ListsConfiguredAndChatOnes()
    {
        await SendAsync("subscribe", "trade");

        var reply = await SendAsync("subscriptions");

        Assert.Contains("ops-daily", reply.Text, StringComparison.Ordinal);
        Assert.Contains("(set by operators)", reply.Text, StringComparison.Ordinal);
        Assert.Contains("trade", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Topics_ListsEveryTopic()
    {
        var reply = await SendAsync("topics");

        Assert.Contains("cyberattacks, climate, trade", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Brief_Typo_ErrorWithSuggestion()
    {
        var reply = await SendAsync("brief", "japn");

        Assert.True(reply.IsError);
        Assert.Contains("Japan", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ErrorWithUsage()
    {
        var reply = await SendAsync("dance");

        Assert.True(reply.IsError);
        Assert.Contains(ChatCommandHandler.Usage, reply.Text, StringComparison.Ordinal);
    }
}
