using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Classification;
using ThreatBriefBot.Core.Configuration;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Tests.Configuration;

public class ConfigurationValueCheckTests
{
    private static IConfigurationSection Section(string name, params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build()
            .GetSection(name);

    [Fact]
    public void Failures_ListElementWithUnknownEnumName_NamesTheKeyAndTheNames()
    {
        var section = Section("Digests", ("Digests:Subscriptions:0:Platform", "Console"), ("Digests:Subscriptions:1:Platform", "Teams"));

        var failures = ConfigurationValueCheck.Failures(section, typeof(DigestOptions));

        Assert.Equal(["Digests:Subscriptions:1:Platform: 'Teams' is not one of Console, Discord, Slack"], failures);
    }

    [Fact]
    public void Failures_NumberNamingNoEnumValue_Reported()
    {
        var section = Section("Digests", ("Digests:Subscriptions:0:Platform", "7"));

        Assert.Single(ConfigurationValueCheck.Failures(section, typeof(DigestOptions)));
    }

    [Fact]
    public void Failures_SeveralBadValues_EveryOneReported()
    {
        var section = Section(
            "Digests",
            ("Digests:MaxItemsPerTopic", "five"),
            ("Digests:Subscriptions:0:MaxItemAge", "forever"),
            ("Digests:Subscriptions:1:Platform", "Teams"));

        var failures = ConfigurationValueCheck.Failures(section, typeof(DigestOptions));

        Assert.Equal(
            [
                "Digests:MaxItemsPerTopic: 'five' is not a whole number (Int32)",
                "Digests:Subscriptions:0:MaxItemAge: 'forever' is not a duration such as 00:05:00 or 3.00:00:00 (d.hh:mm:ss)",
                "Digests:Subscriptions:1:Platform: 'Teams' is not one of Console, Discord, Slack",
            ],
            failures);
    }

    [Fact]
    public void Failures_DictionaryEntryNotANumber_NamesTheEntry()
    {
        var section = Section("Classification", ("Classification:Thresholds:trade", "high"));

        Assert.Equal(["Classification:Thresholds:trade: 'high' is not a number"], ConfigurationValueCheck.Failures(section, typeof(ClassificationOptions)));
    }

    [Fact]
    public void Failures_ValuesTheBinderReads_None()
    {
        var section = Section(
            "Digests",
            ("Digests:MaxItemAge", "3.00:00:00"),
            ("Digests:Subscriptions:0:Platform", "slack"),
            ("Digests:Subscriptions:0:Topics:0", "trade"),
            ("Digests:Subscriptions:0:MaxItemAge", ""),
            ("Digests:Subscriptions:1:Platform", "2"),
            ("Digests:Unknown", "kept for another reader"));

        Assert.Empty(ConfigurationValueCheck.Failures(section, typeof(DigestOptions)));
    }

    [Fact]
    public void BindConfigurationChecked_ValueThatDoesNotConvert_OptionsValidationExceptionNamingTheKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Digests:Subscriptions:0:Platform", "Teams")])
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddOptions<DigestOptions>().BindConfigurationChecked(DigestOptions.SectionName).Services
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DigestOptions>>().Value);

        Assert.Equal(["Digests:Subscriptions:0:Platform: 'Teams' is not one of Console, Discord, Slack"], error.Failures);
    }

    [Fact]
    public void GetValueChecked_NotABoolean_OptionsValidationExceptionNamingTheKey()
    {
        var configuration = Section("Discord", ("Discord:Enabled", "yes"));

        var error = Assert.Throws<OptionsValidationException>(() => configuration.GetValueChecked<bool>("Enabled"));

        Assert.Equal(["Discord:Enabled: 'yes' is not true or false"], error.Failures);
    }

    [Fact]
    public void GetValueChecked_Absent_Default() =>
        Assert.False(Section("Discord", ("Discord:Mode", "Http")).GetValueChecked<bool>("Enabled"));
}
