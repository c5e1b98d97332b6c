using ThreatBriefBot.Core.Chat;

namespace ThreatBriefBot.Delivery;

/// <summary>
/// The enabled chat adapters, one per platform. When two are registered for a platform the later wins, as with
/// any service registration, so a host or a test can replace the console channel.
/// </summary>
internal sealed class ChatAdapters(IEnumerable<IChatAdapter> adapters)
{
    private readonly Dictionary<ChatPlatform, IChatAdapter> _byPlatform = adapters
        .GroupBy(a => a.Platform)
        .ToDictionary(g => g.Key, g => g.Last());

    public IReadOnlyCollection<ChatPlatform> Platforms => _byPlatform.Keys;

    public IChatAdapter For(ChatPlatform platform) =>
        _byPlatform.TryGetValue(platform, out var adapter)
            ? adapter
            : throw new InvalidOperationException($"No chat adapter is enabled for {platform}.");
}
