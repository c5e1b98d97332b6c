using Polly;

namespace ThreatBriefBot.Chat.Slack.WebApi;

/// <summary>
/// What the retry pipeline needs to know about one request, carried in its options: a name for logs, whether it
/// may be sent again after an unknown outcome, and the channel (or webhook) whose pace it keeps.
/// </summary>
/// <param name="RetrySafe">True for reads and other calls that change nothing when repeated; never for a post.</param>
internal sealed record SlackCall(string What, bool RetrySafe, string? PaceKey)
{
    public static readonly HttpRequestOptionsKey<SlackCall> Key = new("ThreatBriefBot.Slack.Call");

    /// <summary>A request sent without a <see cref="SlackCall"/> is treated as a post: never repeated blindly.</summary>
    private static readonly SlackCall Unnamed = new("a request", RetrySafe: false, PaceKey: null);

    public static SlackCall Of(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Key, out var call) ? call : Unnamed;

    public static SlackCall Of(ResilienceContext context) => Of(context.GetRequestMessage());
}
