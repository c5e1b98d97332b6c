using ThreatBriefBot.Chat.Discord.Gateway;

namespace ThreatBriefBot.Chat.Discord.Tests.Gateway;

public sealed class GatewayUrlTests
{
    [Theory]
    [InlineData("wss://gateway.discord.gg", "wss://gateway.discord.gg/?v=10&encoding=json")]
    [InlineData("wss://gateway.discord.gg/?v=10&encoding=json", "wss://gateway.discord.gg/?v=10&encoding=json")]
    [InlineData("wss://gateway-us-east1-b.discord.gg?v=6", "wss://gateway-us-east1-b.discord.gg/?v=10&encoding=json")]
    [InlineData("ws://127.0.0.1:5000/gateway", "ws://127.0.0.1:5000/gateway/?v=10&encoding=json")]
    public void WithQuery_AnyConfiguredUrl_Version10Json(string url, string expected) =>
        Assert.Equal(expected, DiscordGatewayService.WithQuery(new Uri(url)).ToString());
}
