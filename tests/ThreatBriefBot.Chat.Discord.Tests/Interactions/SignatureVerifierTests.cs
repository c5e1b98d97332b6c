using System.Text;
using Microsoft.Extensions.Time.Testing;
using NSec.Cryptography;
using ThreatBriefBot.Chat.Discord.Interactions;

namespace ThreatBriefBot.Chat.Discord.Tests.Interactions;

public sealed class SignatureVerifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = """{"type":1}"""u8.ToArray();

    [Theory]
    [InlineData(0, true)]
    [InlineData(-299, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    public void Verify_SignedAtSomeAge_OnlyFreshRequestsPass(int ageSeconds, bool accepted)
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        var verifier = new DiscordSignatureVerifier(
            Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
            new FakeTimeProvider(Now));
        var timestamp = (Now.ToUnixTimeSeconds() + ageSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = SignatureAlgorithm.Ed25519.Sign(key, [.. Encoding.UTF8.GetBytes(timestamp), .. Body]);

        Assert.Equal(accepted, verifier.Verify(timestamp, Body, Convert.ToHexStringLower(signature)));
    }
}
