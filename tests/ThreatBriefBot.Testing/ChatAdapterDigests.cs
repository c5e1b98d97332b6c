using ThreatBriefBot.Core.Chat;
using ThreatBriefBot.Core.Digests;

namespace ThreatBriefBot.Testing;

/// <summary>Posts a digest through an adapter as the outbox does, part after part, without storing anything: for adapter tests.</summary>
public static class ChatAdapterDigests
{
    /// <returns>Each part's receipt, in order.</returns>
    public static async Task<IReadOnlyList<string?>> PostDigestAsync(
        this IChatAdapter adapter, ChatTarget target, Digest digest, CancellationToken cancellationToken, string? digestKey = null)
    {
        var key = digestKey ?? DigestKeys.For("adapter-test", digest.Until);
        var parts = adapter.RenderDigest(target, digest, key);
        var receipts = new List<string?>(parts.Count);
        for (var index = 0; index < parts.Count; index++)
        {
            receipts.Add(await adapter.PostDigestPartAsync(
                target,
                new DigestPartPost(key, index, parts.Count, parts[index], receipts.FirstOrDefault(), digest.Until, MayAlreadyBePosted: false),
                cancellationToken));
        }

        return receipts;
    }
}
