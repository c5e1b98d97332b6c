using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ThreatBriefBot.IntegrationTests.Host;

/// <summary>
/// <c>classify</c> reads large blocks and classifies each block's lines in parallel: the output must still be one
/// line per input line, in input order, whatever the block boundaries.
/// </summary>
public sealed class ClassifyPipelineTests : IDisposable
{
    private const int LineCount = 5000;

    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Json_ThousandsOfLinesWithBadOnesInterleaved_SameIdsInTheSameOrder()
    {
        // About 2 MB with CRLF and LF endings and blank lines, so lines straddle the 1 MB reads; one line is longer
        // than a read, and the last line has no line break.
        var input = new StringBuilder();
        var expected = new List<string?>();
        for (var i = 0; i < LineCount; i++)
        {
            if (i % 50 == 0)
            {
                input.Append("  \n");
            }

            var (line, id) = Line(i);
            input.Append(line).Append(i % 3 == 0 ? "\r\n" : "\n");
            expected.Add(id);
        }

        input.Append(JsonSerializer.Serialize(new { id = "long", title = "Ransomware attack", text = new string('x', 1_500_000) }));
        expected.Add("long");
        _sandbox.WriteFile("many.jsonl", input.ToString());

        var result = await _sandbox.RunAsync("classify", "--input", Path.Combine(_sandbox.Root, "many.jsonl"), "--format", "json");

        Assert.Equal(1, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(expected.Count, lines.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i] is { } id)
            {
                Assert.Equal(id, lines[i]["id"]!.GetValue<string>());
                Assert.False(lines[i].ContainsKey("error"), $"line {i}: {lines[i]}");
                Assert.Equal(id.StartsWith("cyber", StringComparison.Ordinal) || id == "long", Topics(lines[i]).Contains("cyberattacks"));
            }
            else
            {
                Assert.Null(lines[i]["id"]);
                Assert.False(string.IsNullOrEmpty(lines[i]["error"]!.GetValue<string>()), $"line {i}: {lines[i]}");
            }
        }
    }

    [Fact]
    public async Task Text_ResultsAndErrorsInInputOrder()
    {
        _sandbox.WriteFile("items.jsonl", string.Join('\n',
            """{"id":"a","title":"Ransomware attack cripples Tokyo hospital","text":"Hackers encrypted patient records at a hospital in Tokyo, Japan."}""",
            "",
            "not json",
            """{"id":"b","title":"Heart attack survivor runs marathon","text":"A Boston man who survived a heart attack finished the race."}""",
            """{"title":"no id"}"""));

        var result = await _sandbox.RunAsync("classify", "--input", Path.Combine(_sandbox.Root, "items.jsonl"));

        Assert.Equal(1, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("a: cyberattacks ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("| JP", lines[0].TrimEnd('\r'), StringComparison.Ordinal);
        Assert.StartsWith("?: error: not valid JSON", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("b: no topic | ", lines[2], StringComparison.Ordinal);
        Assert.Equal("?: error: missing 'id'", lines[3].TrimEnd('\r'));
    }

    /// <summary>Line <paramref name="i"/>: mostly items (some about cyberattacks), with bad lines in between; null id for a bad line.</summary>
    private static (string Line, string? Id) Line(int i)
    {
        if (i % 97 == 5)
        {
            return ($"not json {i}", null);
        }

        if (i % 89 == 7)
        {
            return ($$"""{"title":"no id {{i}}"}""", null);
        }

        var cyber = i % 4 == 0;
        var id = (cyber ? "cyber-" : "other-") + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var title = cyber ? "Ransomware gang encrypts hospital servers" : "Heart attack survivor finishes marathon";
        var text = cyber
            ? "Hackers deployed ransomware across the network and demanded a payment before patient records could be restored. "
            : "The runner, who survived a heart attack last year, crossed the line to cheers from his family and friends. ";
        return (JsonSerializer.Serialize(new { id, title, text = string.Concat(Enumerable.Repeat(text, 3)) }), id);
    }

    private static List<string> Topics(JsonObject line) => [.. line["topics"]!.AsArray().Select(t => t!.GetValue<string>())];
}
