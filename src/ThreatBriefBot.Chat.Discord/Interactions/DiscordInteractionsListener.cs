using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NSec.Cryptography;
using ThreatBriefBot.Chat.Discord.Rest;

namespace ThreatBriefBot.Chat.Discord.Interactions;

/// <summary>
/// The HTTP interactions endpoint (<c>Discord:Mode</c> Http): a small Kestrel listener at
/// <see cref="EndpointPath"/> that checks Discord's Ed25519 signature over the raw body, answers PING with PONG, and
/// answers commands inline: with the reply when it is ready within <see cref="DiscordOptions.DeferAfter"/>, else
/// with a deferred response and a later edit.
/// </summary>
internal sealed class DiscordInteractionsListener(
    DiscordCommands commands,
    DiscordInteractionHandler interactions,
    IOptions<DiscordOptions> options,
    ILoggerFactory loggerFactory,
    TimeProvider timeProvider,
    ILogger<DiscordInteractionsListener> logger) : BackgroundService
{
    public const string EndpointPath = "/discord/interactions";

    /// <summary>Interactions are small; anything larger is not from Discord.</summary>
    private const int MaxBodyBytes = 256 * 1024;

    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The endpoint's full URL once Kestrel listens (the port is known only then when configured as 0).</summary>
    public Task<Uri> Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DiscordSignatureVerifier verifier;
        WebApplication app;
        try
        {
            verifier = new DiscordSignatureVerifier(options.Value.PublicKey!, timeProvider);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(loggerFactory);

            // The bot's host owns Ctrl+C and SIGTERM; a second console lifetime would compete for them.
            builder.Services.AddSingleton<IHostLifetime, HostedByTheBot>();
            builder.WebHost.UseUrls(options.Value.InteractionsListenUrl.ToString());
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
            app = builder.Build();
            app.MapPost(EndpointPath, (Func<HttpContext, Task<IResult>>)(context => HandleAsync(context, verifier, stoppingToken)));
            await app.StartAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            Log.ListenerFailed(logger, e, options.Value.InteractionsListenUrl);
            _listening.TrySetException(e);
            return;
        }

        await using (app)
        {
            var endpoint = new Uri(new Uri(app.Urls.First()), EndpointPath);
            _listening.TrySetResult(endpoint);
            Log.ListenerStarted(logger, endpoint);
            try
            {
                await commands.RegisterAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.CommandRegistrationFailed(logger, e);
            }

            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                // Shutting down.
            }

            await app.StopAsync(CancellationToken.None);
        }
    }

    private async Task<IResult> HandleAsync(HttpContext context, DiscordSignatureVerifier verifier, CancellationToken stoppingToken)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var raw = body.ToArray();
        if (!verifier.Verify(context.Request.Headers["X-Signature-Timestamp"], raw, context.Request.Headers["X-Signature-Ed25519"]))
        {
            // Discord sends bad signatures on purpose and removes an endpoint that accepts them.
            Log.SignatureRejected(logger, context.Connection.RemoteIpAddress?.ToString() ?? "");
            return Results.Text("invalid request signature", statusCode: StatusCodes.Status401Unauthorized);
        }

        Interaction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize(raw, DiscordJsonContext.Default.Interaction);
        }
        catch (JsonException)
        {
            interaction = null;
        }

        if (interaction is null)
        {
            return Results.BadRequest();
        }

        // The first response goes back as this request's answer; what follows (an edit after a deferral)
        // continues after the answer is sent, so it runs on the service's token, not the request's.
        // Follow-ups and the edit after a deferral wait until that answer has gone out: before it, Discord does not
        // know the interaction was answered and refuses them.
        var initial = new TaskCompletionSource<InteractionResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Response.OnCompleted(() =>
        {
            answered.TrySetResult();
            return Task.CompletedTask;
        });
        _ = Task.Run(
            async () =>
            {
                try
                {
                    await interactions.HandleAsync(
                        interaction,
                        (response, _) =>
                        {
                            initial.TrySetResult(response);
                            return answered.Task;
                        },
                        stoppingToken);
                }
                finally
                {
                    // A handler that ended without answering must not leave the request hanging.
                    initial.TrySetCanceled(stoppingToken);
                }
            },
            CancellationToken.None);
        try
        {
            var response = await initial.Task.WaitAsync(context.RequestAborted);
            return Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(response, DiscordJsonContext.Default.InteractionResponse), "application/json");
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }
    }
}

/// <summary>The listener starts and stops with the bot's host, not with signals of its own.</summary>
internal sealed class HostedByTheBot : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Discord's request signature: Ed25519 over timestamp + raw body, with the application's public key.</summary>
internal sealed class DiscordSignatureVerifier(string publicKeyHex, TimeProvider timeProvider)
{
    private const int SignatureBytes = 64;

    /// <summary>A signed request older (or newer) than this is refused, so a captured one cannot be replayed later.</summary>
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private readonly PublicKey _key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey);

    /// <summary>Whether the hex is a usable Ed25519 public key (not every 32 bytes are a point on the curve).</summary>
    public static bool IsValidKey(string publicKeyHex) =>
        publicKeyHex is { Length: 64 }
        && publicKeyHex.All(char.IsAsciiHexDigit)
        && PublicKey.TryImport(SignatureAlgorithm.Ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey, out _);

    public bool Verify(string? timestamp, ReadOnlySpan<byte> body, string? signatureHex)
    {
        if (string.IsNullOrEmpty(timestamp) || signatureHex is not { Length: SignatureBytes * 2 } || !signatureHex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sent)
            || Math.Abs(timeProvider.GetUtcNow().ToUnixTimeSeconds() - sent) > MaxClockSkew.TotalSeconds)
        {
            return false;
        }

        var timestampBytes = System.Text.Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[timestampBytes.Length + body.Length];
        timestampBytes.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(timestampBytes.Length));
        return SignatureAlgorithm.Ed25519.Verify(_key, message, Convert.FromHexString(signatureHex));
    }
}
