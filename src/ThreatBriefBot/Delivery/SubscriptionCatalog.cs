using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Digests;
using ThreatBriefBot.Core.Storage;
using ThreatBriefBot.Core.Subscriptions;

namespace ThreatBriefBot.Delivery;

/// <summary>Every subscription: those ops define in configuration and those made from chat.</summary>
internal sealed class SubscriptionCatalog(IOptions<DigestOptions> options, ISubscriptionStore store)
{
    public async Task<IReadOnlyList<Subscription>> ListAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Subscriptions.Select(s => s.ToSubscription()).ToList();
        var ids = configured.Select(s => s.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fromChat = await store.ListAsync(cancellationToken);
        return [.. configured, .. fromChat.Where(s => !ids.Contains(s.Id))];
    }

    public async Task<Subscription?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase));
}
