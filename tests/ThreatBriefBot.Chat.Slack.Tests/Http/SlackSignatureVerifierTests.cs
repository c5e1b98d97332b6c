using System.Text;
using Microsoft.Extensions.Time.Testing;
using ThreatBriefBot.Chat.Slack.Http;

namespace ThreatBriefBot.Chat.Slack.Tests.Http;

/// <summary>Slack's request signing, with the test vector from Slack's "Verifying requests from Slack" page.</summary>
public sealed class SlackSignatureVerifierTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private const string Body =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar" +
        "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands" +
        "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    private static SlackSignatureVerifier At(long unixSeconds) =>
        new(Secret, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));

    [Fact]
    public void Verify_DocsTestVector_Valid() =>
        Assert.Equal(SignatureCheck.Valid, At(1531420618 + 30).Verify(Timestamp, Signature, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void Sign_DocsTestVector_SameSignature() =>
        Assert.Equal(Signature, At(1531420618).Sign(Timestamp, Encoding.UTF8.GetBytes(Body)));

    [Theory]
    [InlineData(301)]
    [InlineData(3600)]
    [InlineData(-301)]
    public void Verify_TimestampMoreThanFiveMinutesAway_Stale(int offsetSeconds) =>
        Assert.Equal(SignatureCheck.Stale, At(1531420618 + offsetSeconds).Verify(Timestamp, Signature, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void Verify_TamperedBody_Mismatch() =>
        Assert.Equal(SignatureCheck.Mismatch, At(1531420618).Verify(Timestamp, Signature, Encoding.UTF8.GetBytes(Body.Replace("text=&", "text=subscribe&", StringComparison.Ordinal))));

    [Fact]
    public void Verify_SignatureOfAnotherTimestamp_Mismatch() =>
        Assert.Equal(SignatureCheck.Mismatch, At(1531420618).Verify("1531420619", Signature, Encoding.UTF8.GetBytes(Body)));

    [Theory]
    [InlineData(null, Signature)]
    [InlineData(Timestamp, null)]
    [InlineData("", "")]
    public void Verify_MissingHeader_Missing(string? timestamp, string? signature) =>
        Assert.Equal(SignatureCheck.Missing, At(1531420618).Verify(timestamp, signature, Encoding.UTF8.GetBytes(Body)));

    [Theory]
    [InlineData("v0=")]
    [InlineData("a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503")]
    public void Verify_MalformedSignature_Mismatch(string signature) =>
        Assert.Equal(SignatureCheck.Mismatch, At(1531420618).Verify(Timestamp, signature, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void Verify_TimestampNotANumber_Stale() =>
        Assert.Equal(SignatureCheck.Stale, At(1531420618).Verify("15314206l8", Signature, Encoding.UTF8.GetBytes(Body)));
}
