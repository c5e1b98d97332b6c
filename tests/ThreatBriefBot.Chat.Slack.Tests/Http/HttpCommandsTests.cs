using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ThreatBriefBot.Chat.Slack.Fakes;
using ThreatBriefBot.Chat.Slack.Http;
using ThreatBriefBot.Chat.Slack.Tests.Hosting;

namespace ThreatBriefBot.Chat.Slack.Tests.Http;

/// <summary>Slash commands over HTTP (Slack:Mode Http): the real worker host's endpoint, called by the fake Slack.</summary>
public sealed class HttpCommandsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static Uri Endpoint(SlackRig rig) => rig.Host.Services.GetRequiredService<SlackCommandEndpoint>().Address!;

    [Fact]
    public async Task PostSlashCommand_ValidSignature_AnsweredInTheResponse()
    {
        await using var rig = await SlackRig.StartAsync(SlackMode.Http);
        var channel = rig.Fake.AddChannel();

        using var response = await rig.Fake.PostSlashCommandAsync(Endpoint(rig), "/topics", "", channel, cancellationToken: Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal("ephemeral", body.RootElement.GetProperty("response_type").GetString());
        Assert.StartsWith("Topics: ", body.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, rig.Handler.Handled);
        Assert.Empty(rig.Fake.SchemaViolations);
        Assert.Equal(0, rig.Fake.ConnectionsOpened);
    }

    [Theory]
    [InlineData(SignatureMode.Tampered, 0)]
    [InlineData(SignatureMode.Missing, 0)]
    [InlineData(SignatureMode.Valid, 6)]
    public async Task PostSlashCommand_TamperedMissingOrOld_401AndNotRun(SignatureMode signature, int ageMinutes)
    {
        await using var rig = await SlackRig.StartAsync(SlackMode.Http);

        using var response = await rig.Fake.PostSlashCommandAsync(
            Endpoint(rig), "/subscribe", "cyberattacks", rig.Fake.AddChannel(), signature: signature, age: TimeSpan.FromMinutes(ageMinutes), cancellationToken: Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, rig.Handler.Handled);
    }

    [Fact]
    public async Task PostSlashCommand_HandlerSlow_EmptyAnswerThenResponseUrl()
    {
        await using var rig = await SlackRig.StartAsync(
            SlackMode.Http,
            handlerDelay: TimeSpan.FromMilliseconds(800),
            settings: new Dictionary<string, string?> { ["Slack:AckPayloadDeadline"] = "00:00:00.200" });

        using var response = await rig.Fake.PostSlashCommandAsync(Endpoint(rig), "/brief", "japan --public", rig.Fake.AddChannel(), cancellationToken: Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync(Token));
        var command = Assert.Single(rig.Fake.SlashCommands);
        await command.WaitForResponsesAsync(1, Token).WaitAsync(SlackRig.Patience, Token);
        Assert.Equal("in_channel", Assert.Single(command.ResponseUrlPosts).Body.GetProperty("response_type").GetString());
        Assert.Empty(rig.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Post_SslCheck_200WithoutRunningAnything()
    {
        await using var rig = await SlackRig.StartAsync(SlackMode.Http);
        var body = Encoding.UTF8.GetBytes("ssl_check=1&token=x");
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(rig)) { Content = new ByteArrayContent(body) };
        request.Headers.Add(SlackSignatureVerifier.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignatureVerifier.SignatureHeader, new SlackSignatureVerifier(FakeSlackServer.SigningSecret, TimeProvider.System).Sign(timestamp, body));
        using var http = new HttpClient();

        using var response = await http.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, rig.Handler.Handled);
    }
}
