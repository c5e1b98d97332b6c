using System.Text.Json;
using System.Text.Json.Nodes;
using ThreatBriefBot.Chat.Slack.Fakes;

namespace ThreatBriefBot.Chat.Slack.Tests.FakeSlack;

public sealed class MessageValidatorTests
{
    private const string Channel = "C0FAKE00001";

    public static TheoryData<string, JsonObject, string, string> BrokenBodies => new()
    {
        { "151-char header", Body(Header(new string('h', 151))), "/blocks/0/text/text", "must be less than 151 characters" },
        { "mrkdwn header", Body(new JsonObject { ["type"] = "header", ["text"] = Text("mrkdwn", "Digest") }), "/blocks/0/text/type", "must be plain_text" },
        { "3001-char section", Body(Section(new string('s', 3001))), "/blocks/0/text/text", "must be less than 3001 characters" },
        { "empty section text", Body(Section("")), "/blocks/0/text/text", "must be more than 0 characters" },
        { "51 blocks", Body([.. Enumerable.Range(0, 51).Select(_ => (JsonNode)new JsonObject { ["type"] = "divider" })]), "/blocks", "no more than 50 items allowed" },
        { "11 context elements", Body(Context(11)), "/blocks/0/elements", "no more than 10 items allowed" },
        { "11 fields", Body(Fields(11, 10)), "/blocks/0/fields", "no more than 10 items allowed" },
        { "2001-char field", Body(Fields(1, 2001)), "/blocks/0/fields/0/text", "must be less than 2001 characters" },
        { "256-char block_id", Body(new JsonObject { ["type"] = "divider", ["block_id"] = new string('b', 256) }), "/blocks/0/block_id", "less than 256 characters" },
        { "unknown block type", Body(new JsonObject { ["type"] = "headline" }), "/blocks/0/type", "unsupported type" },
        { "blocks without text", new JsonObject { ["channel"] = Channel, ["blocks"] = new JsonArray(Section("only blocks")) }, "/text", "text fallback is required" },
    };

    [Theory]
    [MemberData(nameof(BrokenBodies))]
    public void Validate_BrokenBlocks_ReportsPointerAndInvalidBlocks(string name, JsonObject body, string location, string reason)
    {
        var violations = MessageValidator.Validate(MessageKind.PostMessageJson, MessageValidator.ToElement(body), out _);

        var violation = Assert.Single(violations);
        Assert.True(violation.Pointer == location && violation.Reason.Contains(reason, StringComparison.Ordinal), $"{name}: {violation}");
        Assert.Equal("invalid_blocks", violation.Error);
    }

    [Fact]
    public void Validate_DigestBody_Passes()
    {
        using var body = JsonDocument.Parse(FakeSlackTestKit.DigestBody(Channel));

        Assert.Empty(MessageValidator.Validate(MessageKind.PostMessageJson, body.RootElement, out _));
    }

    [Fact]
    public void Validate_FiftyBlocksAtLimits_Passes()
    {
        var blocks = new JsonArray(Header(new string('h', 150)), Section(new string('s', 3000)), Context(10), Fields(10, 2000));
        for (var i = blocks.Count; i < 50; i++)
        {
            blocks.Add(new JsonObject { ["type"] = "divider", ["block_id"] = new string('b', 255) });
        }

        Assert.Empty(MessageValidator.Validate(MessageKind.PostMessageJson, MessageValidator.ToElement(Body([.. blocks.Select(b => b!.DeepClone())])), out _));
    }

    [Fact]
    public void Validate_UnknownParameterAndWrongType_ReportsSpecViolations()
    {
        var body = new JsonObject { ["channel"] = Channel, ["text"] = "hi", ["unfurl_links"] = "false", ["colour"] = "red" };

        var violations = MessageValidator.Validate(MessageKind.PostMessageJson, MessageValidator.ToElement(body), out _);

        Assert.Contains(violations, v => v.Pointer == "/colour" && v.Error == "invalid_arg_name");
        Assert.Contains(violations, v => v.Pointer == "/unfurl_links" && v.Error == "invalid_arguments");
    }

    [Theory]
    [InlineData("#general")]
    [InlineData("c0fake00001")]
    [InlineData("C0FAKE")]
    public void Validate_ChannelNotAnId_ReportsChannel(string channel)
    {
        var violations = MessageValidator.Validate(MessageKind.PostMessageJson, MessageValidator.ToElement(new JsonObject { ["channel"] = channel, ["text"] = "hi" }), out _);

        Assert.Contains(violations, v => v.Pointer == "/channel" && v.Error == "channel_not_found");
    }

    [Fact]
    public void Validate_MissingChannel_ReportsChannel()
    {
        var violations = MessageValidator.Validate(MessageKind.PostMessageJson, MessageValidator.ToElement(new JsonObject { ["text"] = "hi" }), out _);

        Assert.Contains(violations, v => v.Error == "channel_not_found");
    }

    [Fact]
    public void Validate_FormBlocksAsJsonString_ParsesAndPasses()
    {
        var digest = JsonNode.Parse(FakeSlackTestKit.DigestBody(Channel))!.AsObject();
        var form = new JsonObject { ["channel"] = Channel, ["text"] = "fallback", ["unfurl_links"] = "false", ["blocks"] = digest["blocks"]!.ToJsonString() };

        var violations = MessageValidator.Validate(MessageKind.PostMessageForm, MessageValidator.ToElement(form), out var normalized);

        Assert.Empty(violations);
        Assert.Equal(JsonValueKind.Array, normalized.GetProperty("blocks").ValueKind);
    }

    [Fact]
    public void Validate_FormBlocksNotJson_ReportsFormat()
    {
        var form = new JsonObject { ["channel"] = Channel, ["text"] = "fallback", ["blocks"] = "[{\"type\":" };

        var violation = Assert.Single(MessageValidator.Validate(MessageKind.PostMessageForm, MessageValidator.ToElement(form), out _));

        Assert.Equal(("/blocks", "invalid_blocks_format"), (violation.Pointer, violation.Error));
    }

    [Fact]
    public void Validate_JsonBlocksAsString_ReportsFormat()
    {
        var body = new JsonObject { ["channel"] = Channel, ["text"] = "fallback", ["blocks"] = "[]" };

        var violations = MessageValidator.Validate(MessageKind.PostMessageJson, MessageValidator.ToElement(body), out _);

        Assert.Contains(violations, v => v.Pointer == "/blocks" && v.Error == "invalid_blocks_format");
    }

    [Fact]
    public void Subset_Source_RecordsSpecCommitAndHash()
    {
        var source = MessageValidator.Subset["source"]!;

        Assert.Equal("dfea73e0", source["commit"]!.GetValue<string>());
        Assert.Equal("742a5c977180a829df8767cf57bc417d99b3713583aee83741efb9c08ca731e7", source["sha256"]!.GetValue<string>());
    }

    private static JsonObject Body(params JsonNode[] blocks) =>
        new() { ["channel"] = Channel, ["text"] = "fallback", ["blocks"] = new JsonArray(blocks) };

    private static JsonObject Text(string type, string text) => new() { ["type"] = type, ["text"] = text };

    private static JsonObject Header(string text) => new() { ["type"] = "header", ["text"] = Text("plain_text", text) };

    private static JsonObject Section(string text) => new() { ["type"] = "section", ["text"] = Text("mrkdwn", text) };

    private static JsonObject Context(int elements) =>
        new() { ["type"] = "context", ["elements"] = new JsonArray([.. Enumerable.Range(0, elements).Select(i => (JsonNode)Text("mrkdwn", $"e{i}"))]) };

    private static JsonObject Fields(int count, int length) =>
        new() { ["type"] = "section", ["fields"] = new JsonArray([.. Enumerable.Range(0, count).Select(_ => (JsonNode)Text("mrkdwn", new string('f', length)))]) };
}
