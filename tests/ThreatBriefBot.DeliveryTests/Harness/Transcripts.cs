using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DiscordFake = ThreatBriefBot.Chat.Discord.Fakes.FakeDiscordServer;
using SlackFake = ThreatBriefBot.Chat.Slack.Fakes.FakeSlackServer;

namespace ThreatBriefBot.DeliveryTests.Harness;

/// <summary>One message a channel accepted, as the test reads it.</summary>
/// <param name="Id">Discord's message id or Slack's ts.</param>
/// <param name="ThreadId">Slack: the ts of the message this one replies to in a thread; null for a channel message.</param>
/// <param name="Part">The "part i of N" the message says it is, when it says so.</param>
/// <param name="Hidden">Items the message says it left out ("… and K more"): reported, never expected.</param>
internal sealed record PostedMessage(string Id, string? ThreadId, IReadOnlySet<string> Links, (int Index, int Count)? Part, int Hidden);

/// <summary>A channel's messages in the order the fake accepted them.</summary>
internal abstract partial class Transcript(string channel)
{
    public string Channel { get; } = channel;

    /// <summary>How many messages the channel has accepted; cheap enough to poll every few milliseconds.</summary>
    public abstract int Count { get; }

    /// <summary>The accepted messages, in order, from the <paramref name="skip"/>th on.</summary>
    public abstract IReadOnlyList<PostedMessage> Read(int skip = 0);

    /// <summary>Parts of a digest out of order, repeated, missing or interleaved with another digest; empty when all is well.</summary>
    public abstract IReadOnlyList<string> PartProblems(IReadOnlyList<PostedMessage> messages);

    [GeneratedRegex(@"… and (\d+) more")]
    protected static partial Regex AndMore();

    [GeneratedRegex(@"(\d+) items?, (\d+) shown")]
    protected static partial Regex Shown();

    /// <summary>(i, N) from a marker match whose groups 1 and 2 are the part and the count.</summary>
    protected static (int Index, int Count)? PartOf(Match marker) => marker.Success ? (Int(marker.Groups[1]), Int(marker.Groups[2])) : null;

    protected static int Int(Group group) => int.Parse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The string <paramref name="name"/> of an object, or "" when it is missing or not a string.</summary>
    protected static string StringIn(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    /// <summary>The items of the array <paramref name="name"/> of an object; none when it is missing.</summary>
    protected static IEnumerable<JsonElement> ArrayIn(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];
}

/// <summary>
/// A Discord channel. A digest too big for one message says so at the end of each part's content, "(2/3)", and its
/// parts follow one another in the channel: nothing else comes between them, and none repeats or is left out.
/// </summary>
internal sealed partial class DiscordTranscript(DiscordFake fake, string channel) : Transcript(channel)
{
    public override int Count => fake.Messages(Channel).Count;

    public override IReadOnlyList<PostedMessage> Read(int skip = 0) => [.. fake.Messages(Channel).Skip(skip).Select(m =>
    {
        var hidden = ArrayIn(m.Body, "embeds").Sum(embed => AndMore().Matches(StringIn(embed, "description")).Sum(match => Int(match.Groups[1])));
        return new PostedMessage(m.Id, null, ItemLinks.In(m.Body), PartOf(PartMarker().Match(StringIn(m.Body, "content"))), hidden);
    })];

    public override IReadOnlyList<string> PartProblems(IReadOnlyList<PostedMessage> messages)
    {
        var problems = new List<string>();
        (int Index, int Count)? open = null;
        foreach (var message in messages)
        {
            var part = message.Part;
            if (open is { } previous && (part is not { } next || next.Count != previous.Count || next.Index != previous.Index + 1))
            {
                problems.Add($"message {message.Id} {Describe(part)} came after part {previous.Index}/{previous.Count}, not part {previous.Index + 1}/{previous.Count}");
            }
            else if (open is null && part is { Index: not 1 } stray)
            {
                problems.Add($"message {message.Id} is part {stray.Index}/{stray.Count} with no part {stray.Index - 1} before it");
            }

            open = part is { } p && p.Index < p.Count ? p : null;
        }

        if (open is { } last)
        {
            problems.Add($"the channel ends at part {last.Index}/{last.Count}");
        }

        return problems;
    }

    private static string Describe((int Index, int Count)? part) => part is { } p ? $"(part {p.Index}/{p.Count})" : "(a whole digest)";

    [GeneratedRegex(@"\((\d+)/(\d+)\)\s*$")]
    private static partial Regex PartMarker();
}

/// <summary>
/// A Slack channel. A digest too big for one message continues in replies threaded under its first message; when
/// the messages say which part they are ("part 2 of 3"), the replies must be parts 2..N of that digest, in order.
/// </summary>
internal sealed partial class SlackTranscript(SlackFake fake, string channel) : Transcript(channel)
{
    public override int Count => fake.Messages(Channel).Count;

    public override IReadOnlyList<PostedMessage> Read(int skip = 0) => [.. fake.Messages(Channel).Skip(skip).Select(m =>
    {
        var hidden = ArrayIn(m.Body, "blocks").Sum(block => block.TryGetProperty("text", out var text)
            ? Shown().Matches(StringIn(text, "text")).Sum(match => Int(match.Groups[1]) - Int(match.Groups[2]))
            : 0);
        return new PostedMessage(m.Ts, m.ThreadTs, ItemLinks.In(m.Body), PartOf(PartMarker().Match(StringIn(m.Body, "text"))), hidden);
    })];

    public override IReadOnlyList<string> PartProblems(IReadOnlyList<PostedMessage> messages)
    {
        var problems = new List<string>();
        var parents = messages.Where(m => m.ThreadId is null).ToDictionary(m => m.Id, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var replies = new Dictionary<string, List<PostedMessage>>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            seen.Add(message.Id);
            if (message.ThreadId is not { } thread)
            {
                if (message.Part is { Index: not 1 } part)
                {
                    problems.Add($"message {message.Id} is part {part.Index} of {part.Count} but not threaded under part 1");
                }

                continue;
            }

            if (!parents.ContainsKey(thread) || !seen.Contains(thread))
            {
                problems.Add($"message {message.Id} replies to {thread}, which is not an earlier message of this channel");
                continue;
            }

            if (!replies.TryGetValue(thread, out var list))
            {
                replies[thread] = list = [];
            }

            list.Add(message);
        }

        foreach (var parent in parents.Values)
        {
            var thread = replies.GetValueOrDefault(parent.Id) ?? [];
            if (parent.Part is not { } first)
            {
                continue;
            }

            var numbers = thread.Select(r => r.Part?.Index ?? 0).ToList();
            var expected = Enumerable.Range(2, first.Count - 1).ToList();
            if (!numbers.SequenceEqual(expected) || thread.Any(r => r.Part?.Count != first.Count))
            {
                problems.Add($"digest {parent.Id} (part 1 of {first.Count}) has replies [{string.Join(", ", thread.Select(r => r.Part is { } p ? $"{p.Index} of {p.Count}" : "unnumbered"))}], not parts 2..{first.Count} in order");
            }
        }

        return problems;
    }

    [GeneratedRegex(@"\(part (\d+) of (\d+)\)")]
    private static partial Regex PartMarker();
}
