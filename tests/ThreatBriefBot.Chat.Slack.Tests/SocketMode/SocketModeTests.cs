using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ThreatBriefBot.Chat.Slack.Fakes;
using ThreatBriefBot.Chat.Slack.SocketMode;
using ThreatBriefBot.Chat.Slack.Tests.Hosting;
using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Chat.Slack.Tests.SocketMode;

/// <summary>Slash commands over Socket Mode: the real worker host against the fake Slack.</summary>
public sealed class SocketModeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<FakeSlashCommand> SendAsync(SlackRig rig, string command, string text, string channel, string userId = SlackSandbox.Admin)
    {
        await rig.Fake.WaitForSocketsAsync(1, Token).WaitAsync(SlackRig.Patience, Token);
        return await rig.Fake.SendSlashCommandAsync(command, text, channel, userId, Token);
    }

    private static async Task<JsonElement> AckPayloadAsync(FakeSlashCommand command)
    {
        var ack = await command.Ack.WaitAsync(SlackRig.Patience, Token);
        Assert.True(ack.Payload.HasValue, "the reply was not in the acknowledgement");
        return ack.Payload.Value;
    }

    [Fact]
    public async Task Brief_HandlerQuick_AnsweredInTheAcknowledgementWithin3Seconds()
    {
        await using var rig = await SlackRig.StartAsync();
        var channel = rig.Fake.AddChannel();

        var command = await SendAsync(rig, "/brief", "japan", channel);

        var ack = await command.Ack.WaitAsync(SlackRig.Patience, Token);
        Assert.True(ack.Elapsed < TimeSpan.FromSeconds(3), $"acknowledged after {ack.Elapsed}");
        Assert.NotNull(ack.Payload);
        Assert.Equal("ephemeral", ack.Payload.Value.GetProperty("response_type").GetString());
        Assert.False(string.IsNullOrEmpty(ack.Payload.Value.GetProperty("text").GetString()));
        Assert.Empty(command.ResponseUrlPosts);
        Assert.Equal(1, command.AckCount);
        Assert.Empty(rig.Fake.SchemaViolations);
        Assert.Empty(rig.Fake.UnexpectedAcks);
        var handled = Assert.Single(rig.Handler.Commands);
        Assert.Equal((new ChatTarget(ChatPlatform.Slack, channel), SlackSandbox.Admin, "brief", "japan"), (handled.ReplyTo, handled.UserId, handled.Name, handled.Argument));
    }

    [Fact]
    public async Task Brief_PublicFlag_InChannelWithTheFlagRemoved()
    {
        await using var rig = await SlackRig.StartAsync();

        var command = await SendAsync(rig, "/brief", "japan --public", rig.Fake.AddChannel());

        Assert.Equal("in_channel", (await AckPayloadAsync(command)).GetProperty("response_type").GetString());
        Assert.Equal("japan", Assert.Single(rig.Handler.Commands).Argument);
    }

    [Fact]
    public async Task Brief_HandlerSlowerThanTheDeadline_EmptyAcknowledgementThenResponseUrl()
    {
        await using var rig = await SlackRig.StartAsync(
            handlerDelay: TimeSpan.FromMilliseconds(1200),
            settings: new Dictionary<string, string?> { ["Slack:AckPayloadDeadline"] = "00:00:00.300" });

        var command = await SendAsync(rig, "/brief", "japan", rig.Fake.AddChannel());

        var ack = await command.Ack.WaitAsync(SlackRig.Patience, Token);
        Assert.Null(ack.Payload);
        Assert.True(ack.Elapsed < TimeSpan.FromSeconds(1.2), $"acknowledged after {ack.Elapsed}, not before the handler finished");
        await command.WaitForResponsesAsync(1, Token).WaitAsync(SlackRig.Patience, Token);
        var response = Assert.Single(command.ResponseUrlPosts);
        Assert.Equal("ephemeral", response.Body.GetProperty("response_type").GetString());
        Assert.Equal(1, rig.Handler.Handled);
        Assert.Empty(rig.Fake.SchemaViolations);
    }

    [Fact]
    public async Task RefreshRequested_MidCommands_NoCommandLostNorAnsweredTwice()
    {
        var ackTimeout = TimeSpan.FromMilliseconds(700);
        await using var rig = await SlackRig.StartAsync(
            fakeOptions: SlackRig.FakeOptions(ackTimeout),
            handlerDelay: TimeSpan.FromMilliseconds(400),
            settings: new Dictionary<string, string?> { ["Slack:AckPayloadDeadline"] = "00:00:01" });
        var channel = rig.Fake.AddChannel();

        var before = new[] { await SendAsync(rig, "/brief", "japan", channel), await SendAsync(rig, "/topics", "", channel) };
        await rig.Fake.SendDisconnectAsync("refresh_requested");
        var after = await SendAsync(rig, "/subscriptions", "", channel);
        FakeSlashCommand[] commands = [.. before, after];

        await rig.WaitUntilAsync(() => commands.All(c => SlackRig.Answers(c) >= 1) && rig.Fake.OpenSockets == 1 && rig.Fake.ConnectionsOpened == 2);
        // Long enough for any redelivery, and for a second answer to show if there were one.
        await Task.Delay(ackTimeout * 2, Token);

        Assert.All(commands, c => Assert.Equal(1, SlackRig.Answers(c)));
        Assert.All(commands, c => Assert.True(c.AckCount >= 1));
        Assert.Equal(3, rig.Handler.Handled);
        Assert.Equal(2, rig.Fake.ConnectionsOpened);
        Assert.Empty(rig.Fake.UnexpectedAcks);
        Assert.Empty(rig.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Envelope_NotAcknowledgedInTime_RedeliveredAndHandledOnce()
    {
        // Slack's patience is shorter than the handler here, so the envelope comes again while it runs.
        var ackTimeout = TimeSpan.FromMilliseconds(300);
        await using var rig = await SlackRig.StartAsync(
            fakeOptions: SlackRig.FakeOptions(ackTimeout),
            handlerDelay: TimeSpan.FromMilliseconds(900),
            settings: new Dictionary<string, string?> { ["Slack:AckPayloadDeadline"] = "00:00:02" });

        var command = await SendAsync(rig, "/brief", "japan", rig.Fake.AddChannel());

        await command.WaitForResponsesAsync(1, Token).WaitAsync(SlackRig.Patience, Token);
        await Task.Delay(ackTimeout * 3, Token);

        Assert.True(command.Deliveries >= 2, $"delivered {command.Deliveries} time(s)");
        Assert.Equal(1, rig.Handler.Handled);
        Assert.Equal(1, SlackRig.Answers(command));
        Assert.Equal(command.Deliveries, command.AckCount);
        Assert.Empty(rig.Fake.UnexpectedAcks);
    }

    [Fact]
    public async Task LinkDisabled_SocketLoopStopsAndTheRestOfTheBotRuns()
    {
        await using var rig = await SlackRig.StartAsync();
        await rig.Fake.WaitForSocketsAsync(1, Token).WaitAsync(SlackRig.Patience, Token);

        await rig.Fake.SendDisconnectAsync("link_disabled");
        await rig.WaitUntilAsync(() => rig.Fake.OpenSockets == 0);
        var service = rig.Host.Services.GetRequiredService<SlackSocketModeService>();
        await rig.WaitUntilAsync(() => service.IsStopped);
        // Several reconnect delays (50-400 ms here): a loop that had not stopped would have asked again.
        await Task.Delay(TimeSpan.FromSeconds(1), Token);

        Assert.Equal(1, rig.Fake.ConnectionsOpened);
        Assert.Equal(0, rig.Fake.ConnectionsOpenedAfterLinkDisabled);
        Assert.False(rig.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        var channel = rig.Fake.AddChannel();
        await rig.Adapter.PostDigestAsync(new ChatTarget(ChatPlatform.Slack, channel), TestDigests.Large(1, 1), Token);
        Assert.Single(rig.Fake.Messages(channel));
    }

    [Fact]
    public async Task Warning_ReplacementOpensFirstAndTheOldConnectionFinishesItsWorkBeforeClosing()
    {
        await using var rig = await SlackRig.StartAsync(
            handlerDelay: TimeSpan.FromMilliseconds(700),
            settings: new Dictionary<string, string?> { ["Slack:AckPayloadDeadline"] = "00:00:01.500" });
        var command = await SendAsync(rig, "/topics", "", rig.Fake.AddChannel());

        await rig.Fake.SendDisconnectAsync("warning");

        // Both connections up at once: the new one said hello while the old one still had a command to answer.
        await rig.WaitUntilAsync(() => rig.Fake.OpenSockets == 2);
        var ack = await command.Ack.WaitAsync(SlackRig.Patience, Token);
        Assert.Equal(1, ack.SocketNumber);
        Assert.Contains("cyberattacks", ack.Payload?.GetProperty("text").GetString(), StringComparison.Ordinal);
        await rig.WaitUntilAsync(() => rig.Fake.OpenSockets == 1 && rig.Fake.SocketsConnected == 2);
        Assert.Equal(2, rig.Fake.ConnectionsOpened);
        Assert.Equal(1, command.Deliveries);
    }

    [Fact]
    public async Task DroppedConnection_ReconnectsWithANewUrlAndAnswersAgain()
    {
        await using var rig = await SlackRig.StartAsync();
        await rig.Fake.WaitForSocketsAsync(1, Token).WaitAsync(SlackRig.Patience, Token);

        await rig.Fake.DropSocketsAsync();
        await rig.Fake.WaitForSocketsAsync(1, Token).WaitAsync(SlackRig.Patience, Token);

        Assert.Equal(2, rig.Fake.ConnectionsOpened);
        var command = await SendAsync(rig, "/topics", "", rig.Fake.AddChannel());
        Assert.NotNull((await command.Ack.WaitAsync(SlackRig.Patience, Token)).Payload);
    }

    [Fact]
    public async Task TooManyWebsockets_ClosesThisOneAndComesBackLater()
    {
        await using var rig = await SlackRig.StartAsync();
        await rig.Fake.WaitForSocketsAsync(1, Token).WaitAsync(SlackRig.Patience, Token);

        await rig.Fake.SendDisconnectAsync("too_many_websockets");

        await rig.WaitUntilAsync(() => rig.Fake.SocketsConnected == 2 && rig.Fake.OpenSockets == 1);
        Assert.Equal(2, rig.Fake.ConnectionsOpened);
    }

    [Fact]
    public async Task Subscribe_NotAnAdmin_RefusedEphemerallyNamingWhoCan()
    {
        await using var rig = await SlackRig.StartAsync();
        var channel = rig.Fake.AddChannel();

        var refused = await SendAsync(rig, "/subscribe", "cyberattacks", channel, userId: "U0SOMEONE1");
        var listed = await SendAsync(rig, "/subscriptions", "", channel, userId: "U0SOMEONE1");

        var payload = await AckPayloadAsync(refused);
        Assert.Equal("ephemeral", payload.GetProperty("response_type").GetString());
        var text = payload.GetProperty("text").GetString()!;
        Assert.StartsWith("Sorry, only the bot's admins (<@U0ADMIN001>) can change", text, StringComparison.Ordinal);
        Assert.Contains("no subscriptions", (await AckPayloadAsync(listed)).GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_Admin_SubscribesTheChannelInPublic()
    {
        await using var rig = await SlackRig.StartAsync();
        var channel = rig.Fake.AddChannel();

        var payload = await AckPayloadAsync(await SendAsync(rig, "/subscribe", "cyberattacks japan", channel));

        Assert.Equal("in_channel", payload.GetProperty("response_type").GetString());
        Assert.StartsWith("Subscribed this channel: cyberattacks about Japan", payload.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_MemberOfTheAdminGroup_Allowed()
    {
        await using var rig = await SlackRig.StartAsync(settings: new Dictionary<string, string?> { ["Slack:AdminUserGroup"] = "S0ADMINS01" });
        rig.Fake.AddUserGroup("S0ADMINS01", "U0GROUPIE1");
        var channel = rig.Fake.AddChannel();

        var member = await AckPayloadAsync(await SendAsync(rig, "/subscribe", "cyberattacks", channel, userId: "U0GROUPIE1"));
        var outsider = await AckPayloadAsync(await SendAsync(rig, "/unsubscribe", "", channel, userId: "U0OUTSIDE1"));

        Assert.StartsWith("Subscribed this channel", member.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("or members of <!subteam^S0ADMINS01>", outsider.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Single(rig.Fake.Requests, r => r.Path.Contains("usergroups.users.list", StringComparison.Ordinal));
    }
}
