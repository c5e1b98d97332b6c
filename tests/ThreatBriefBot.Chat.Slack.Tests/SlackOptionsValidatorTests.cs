namespace ThreatBriefBot.Chat.Slack.Tests;

public sealed class SlackOptionsValidatorTests
{
    private static SlackOptions Valid() => new()
    {
        Enabled = true,
        BotToken = "xoxb-1",
        AppToken = "xapp-1",
        AdminUserIds = ["U0ADMIN001"],
    };

    private static IReadOnlyList<string> Failures(SlackOptions options) =>
        [.. new SlackOptionsValidator().Validate(null, options).Failures ?? []];

    [Fact]
    public void Validate_Complete_NoFailures() => Assert.Empty(Failures(Valid()));

    [Fact]
    public void Validate_Disabled_NothingChecked() =>
        Assert.True(new SlackOptionsValidator().Validate(null, new SlackOptions { Enabled = false }).Skipped);

    [Fact]
    public void Validate_EnabledWithoutBotToken_NamesTheSettingAndWhereToPutIt()
    {
        var options = Valid();
        options.BotToken = null;

        Assert.Equal(
            "Slack:BotToken is required when Slack:Enabled is true; set the environment variable Slack__BotToken or a user secret",
            Assert.Single(Failures(options)));
    }

    [Fact]
    public void Validate_SocketModeWithoutAppToken_NamesAppToken()
    {
        var options = Valid();
        options.AppToken = "";

        Assert.StartsWith("Slack:AppToken is required when Slack:Mode is SocketMode", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BotTokenInAppTokenPlace_Explained()
    {
        var options = Valid();
        options.AppToken = "xoxb-1";

        Assert.Contains("xapp-", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HttpWithoutSigningSecret_NamesSigningSecret()
    {
        var options = Valid();
        options.Mode = SlackMode.Http;

        Assert.StartsWith("Slack:SigningSecret is required when Slack:Mode is Http", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoAdmins_RequiredSoSomeoneCanSubscribe()
    {
        var options = Valid();
        options.AdminUserIds = [];

        Assert.StartsWith("Slack:AdminUserIds or Slack:AdminUserGroup is required", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AdminGroupOnly_Accepted()
    {
        var options = Valid();
        options.AdminUserIds = [];
        options.AdminUserGroup = "S0ADMINS01";

        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_BadValues_EachNamed()
    {
        var options = Valid();
        options.AdminUserIds = ["@alice"];
        options.AdminUserGroup = "admins";
        options.Webhooks["ops"] = "not a url";
        options.ApiBaseUrl = new Uri("https://slack.com/api");
        options.AckPayloadDeadline = TimeSpan.FromSeconds(3);

        var failures = Failures(options);

        Assert.Contains(failures, f => f.StartsWith("Slack:AdminUserIds:0:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Slack:AdminUserGroup:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Slack:Webhooks:ops must be", StringComparison.Ordinal) && f.Contains("Slack__Webhooks__ops", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Slack:ApiBaseUrl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Slack:AckPayloadDeadline", StringComparison.Ordinal));
    }
}
