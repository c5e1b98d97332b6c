using System.Text.Json;
using ThreatBriefBot.Chat.Discord.Fakes.Validation;

namespace ThreatBriefBot.Chat.Discord.Tests.FakeDiscord;

/// <summary>The embedded OpenAPI subset: its provenance header, and that it validates without the spec on disk.</summary>
public sealed class EmbeddedSchemaTests
{
    [Fact]
    public void Source_EmbeddedSubset_RecordsSpecCommitAndHash()
    {
        var source = DiscordSchemas.Source;

        Assert.Equal("discord/discord-api-spec", source["repository"]!.GetValue<string>());
        Assert.Equal("74fda0fa", source["commit"]!.GetValue<string>());
        Assert.Equal("8c1d0707ccdf8e380a86dfba04058820a66435c1b69d5ed82e04dd8c0520dd73", source["sha256"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(DiscordSchemas.InteractionCallback, """{"type":5,"data":{"flags":64}}""", 0)]
    [InlineData(DiscordSchemas.InteractionCallback, """{"type":8,"data":{"choices":[{"name":"japan","value":"japan"}]}}""", 0)]
    [InlineData(DiscordSchemas.InteractionCallback, """{"type":77}""", 1)]
    [InlineData(DiscordSchemas.CommandsBulkUpdate, """[{"name":"brief","description":"d","default_member_permissions":"32"}]""", 0)]
    [InlineData(DiscordSchemas.CommandsBulkUpdate, """[{"description":"no name"}]""", 1)]
    [InlineData(DiscordSchemas.WebhookExecute, """{"content":"x","username":""}""", 1)]
    public void Validate_Body_ReportsEachFailureOnce(string root, string body, int expected)
    {
        using var document = JsonDocument.Parse(body);

        Assert.Equal(expected, DiscordSchemas.Validate(root, document.RootElement).Count);
    }
}
