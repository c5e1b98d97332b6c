using ThreatBriefBot.Chat.Discord.Rest;

namespace ThreatBriefBot.Chat.Discord.Tests;

public sealed class DiscordOptionsValidatorTests
{
    private static DiscordOptions Valid() => new()
    {
        Enabled = true,
        BotToken = "token",
        ApplicationId = "100000000000000001",
    };

    [Fact]
    public void Validate_Disabled_NothingRequired() =>
        Assert.True(new DiscordOptionsValidator(receiveCommands: true).Validate(null, new DiscordOptions { BotToken = null }).Succeeded);

    [Fact]
    public void Validate_Complete_Succeeds() =>
        Assert.True(new DiscordOptionsValidator(receiveCommands: true).Validate(null, Valid()).Succeeded);

    [Fact]
    public void Validate_EnabledWithoutToken_NamesTheSettingAndWhereToPutIt()
    {
        var options = Valid();
        options.BotToken = " ";

        var result = new DiscordOptionsValidator(receiveCommands: false).Validate(null, options);

        Assert.Equal(
            "Discord:BotToken is required when Discord:Enabled is true; set the environment variable Discord__BotToken or a user secret",
            Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_ReceivingCommandsWithoutApplicationId_NamesApplicationId()
    {
        var options = Valid();
        options.ApplicationId = null;

        Assert.True(new DiscordOptionsValidator(receiveCommands: false).Validate(null, options).Succeeded);
        Assert.Contains("Discord:ApplicationId", Assert.Single(new DiscordOptionsValidator(receiveCommands: true).Validate(null, options).Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Discord:PublicKey")]
    [InlineData("abc", "Discord:PublicKey")]
    public void Validate_HttpModeWithoutPublicKey_NamesPublicKey(string? key, string setting)
    {
        var options = Valid();
        options.Mode = DiscordMode.Http;
        options.PublicKey = key;

        Assert.Contains(setting, Assert.Single(new DiscordOptionsValidator(receiveCommands: true).Validate(null, options).Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadValues_EveryProblemNamed()
    {
        var options = Valid();
        options.ApiBaseUrl = new Uri("https://discord.com/api/v10");
        options.GatewayUrl = new Uri("https://gateway.discord.gg");
        options.GuildIds = ["guild"];
        options.Webhooks["ops"] = "https://example.com/not-a-webhook";
        options.DeferAfter = TimeSpan.FromSeconds(3);
        options.InvalidRequestLimit = 10_000;

        var failures = new DiscordOptionsValidator(receiveCommands: true).Validate(null, options).Failures!.ToList();

        foreach (var setting in new[] { "Discord:ApiBaseUrl", "Discord:GatewayUrl", "Discord:GuildIds:0", "Discord:Webhooks:ops", "Discord:DeferAfter", "Discord:InvalidRequestLimit" })
        {
            Assert.Contains(failures, f => f.StartsWith(setting, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("https://discord.com/api/webhooks/123456789012345678/abc-DEF_123", "123456789012345678", "abc-DEF_123")]
    [InlineData("https://discord.com/api/v10/webhooks/123456789012345678/tok", "123456789012345678", "tok")]
    [InlineData("https://canary.discordapp.com/api/webhooks/1/tok ", "1", "tok")]
    [InlineData("http://127.0.0.1:5000/api/v10/webhooks/7/tok", "7", "tok")]
    public void TryParse_PastedWebhookUrl_IdAndToken(string url, string id, string token)
    {
        Assert.True(DiscordWebhookUrl.TryParse(url, out var webhook));
        Assert.Equal(new DiscordWebhookUrl(id, token), webhook);
    }

    [Theory]
    [InlineData("ftp://discord.com/api/webhooks/1/tok")]
    [InlineData("https://discord.com/api/webhooks/abc/tok")]
    [InlineData("https://discord.com/api/webhooks/1")]
    [InlineData("https://discord.com/api/webhooks/1/tok/slack")]
    [InlineData("not a url")]
    public void TryParse_NotAWebhookUrl_False(string url) => Assert.False(DiscordWebhookUrl.TryParse(url, out _));
}
