using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NSec.Cryptography;
using ThreatBriefBot.Chat.Discord.Fakes;

namespace ThreatBriefBot.Chat.Discord.Tests.FakeDiscord;

/// <summary>The fake's signed HTTP interactions against a minimal endpoint that verifies Ed25519 as the docs require.</summary>
public sealed class FakeDiscordInteractionsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostPingAsync_ValidSignature_EndpointVerifiesAndPongs()
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        await using var endpoint = await StartEndpointAsync(server.PublicKeyHex);

        using var response = await server.PostPingAsync(endpoint.Url, cancellationToken: Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"type":1}""", await response.Content.ReadAsStringAsync(Token));
        Assert.Empty(server.SchemaViolations);
    }

    [Theory]
    [InlineData(SignatureMode.Tampered)]
    [InlineData(SignatureMode.Missing)]
    public async Task PostInteractionAsync_BadSignature_EndpointAnswers401(SignatureMode mode)
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        await using var endpoint = await StartEndpointAsync(server.PublicKeyHex);

        using var response = await server.PostInteractionAsync(endpoint.Url, Spec(), mode, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(Assert.Single(server.Interactions).Callback.IsCompleted);
    }

    [Fact]
    public async Task PostInteractionAsync_InlineResponse_RecordedAsCallbackThenFollowUpAllowed()
    {
        await using var server = await FakeDiscordServer.StartAsync(cancellationToken: Token);
        await using var endpoint = await StartEndpointAsync(server.PublicKeyHex);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.UserAgent.ParseAdd("DiscordBot (https://example.invalid, 1.0)");

        using var response = await server.PostInteractionAsync(endpoint.Url, Spec(), cancellationToken: Token);
        var interaction = Assert.Single(server.Interactions);
        var callback = await interaction.Callback;
        using var followUp = await http.PostAsync(new Uri(server.ApiBaseUrl, $"webhooks/{FakeDiscordServer.ApplicationId}/{interaction.Token}"),
            new StringContent("""{"content":"Done.","flags":64}""", Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((4, 200), (callback.Type, callback.StatusServed));
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
        Assert.Single(interaction.FollowUps);
        Assert.Empty(server.SchemaViolations);
    }

    private static SlashCommandSpec Spec() => new("brief", new Dictionary<string, string> { ["query"] = "japan" }, "400000000000000001");

    /// <summary>A tiny interactions endpoint: verify Ed25519 over timestamp + raw body, 401 on failure, else answer inline.</summary>
    private static async Task<Endpoint> StartEndpointAsync(string publicKeyHex)
    {
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var body = buffer.ToArray();
            var signature = context.Request.Headers["X-Signature-Ed25519"].ToString();
            var timestamp = context.Request.Headers["X-Signature-Timestamp"].ToString();
            var valid = signature.Length == 128 && timestamp.Length > 0
                && SignatureAlgorithm.Ed25519.Verify(publicKey, [.. Encoding.UTF8.GetBytes(timestamp), .. body], Convert.FromHexString(signature));
            if (!valid)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            using var interaction = JsonDocument.Parse(body);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(interaction.RootElement.GetProperty("type").GetInt32() == 1
                ? """{"type":1}"""
                : """{"type":4,"data":{"content":"Working on it.","flags":64,"allowed_mentions":{"parse":[]}}}""", context.RequestAborted);
        });
        await app.StartAsync(Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Endpoint(app, new Uri(new Uri(address), "interactions"));
    }

    private sealed record Endpoint(WebApplication App, Uri Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
