using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Chat.Slack.Commands;
using ThreatBriefBot.Chat.Slack.WebApi;

namespace ThreatBriefBot.Chat.Slack.Http;

/// <summary>
/// Slash commands over HTTP (Slack:Mode Http): a small Kestrel listener of the adapter's own on
/// Slack:CommandsListenUrl, path <see cref="CommandsPath"/>. Every request's signature is checked over the raw
/// body (401 when bad or older than five minutes); the reply comes in the 200 answer when ready in time, else
/// the answer is empty and the reply follows through response_url.
/// </summary>
internal sealed class SlackCommandEndpoint(
    SlashCommandRunner runner,
    IOptions<SlackOptions> options,
    TimeProvider timeProvider,
    ILogger<SlackCommandEndpoint> logger) : IHostedService, IAsyncDisposable
{
    public const string CommandsPath = "/slack/commands";

    /// <summary>Slash-command forms are small; anything larger is not Slack.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    private readonly SlackSignatureVerifier _verifier = new(options.Value.SigningSecret ?? "", timeProvider);
    private WebApplication? _app;

    /// <summary>Where it listens, with the port Kestrel chose when the configured one is 0.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Value.CommandsListenUrl.ToString());
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes);
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Address = new Uri(new Uri(address ?? options.Value.CommandsListenUrl.ToString()), CommandsPath);
        Log.CommandsListening(logger, Address);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!string.Equals(request.Path, CommandsPath, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var receivedAt = timeProvider.GetTimestamp();
        byte[] body;
        try
        {
            // The raw bytes, read once: the signature covers them exactly as sent.
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var check = _verifier.Verify(
            request.Headers[SlackSignatureVerifier.TimestampHeader].FirstOrDefault(),
            request.Headers[SlackSignatureVerifier.SignatureHeader].FirstOrDefault(),
            body);
        if (check != SignatureCheck.Valid)
        {
            Log.SignatureRejected(logger, check switch
            {
                SignatureCheck.Missing => "no signature",
                SignatureCheck.Stale => "timestamp more than five minutes from now (a replay?)",
                _ => "signature does not match the body",
            });
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        if (form.TryGetValue("ssl_check", out var sslCheck) && sslCheck == "1")
        {
            return;
        }

        var command = new SlashCommandPayload
        {
            Command = form.TryGetValue("command", out var name) ? name.ToString() : null,
            Text = form.TryGetValue("text", out var text) ? text.ToString() : "",
            ChannelId = form.TryGetValue("channel_id", out var channel) ? channel.ToString() : null,
            UserId = form.TryGetValue("user_id", out var user) ? user.ToString() : null,
            ResponseUrl = form.TryGetValue("response_url", out var responseUrl) ? responseUrl.ToString() : null,
        };
        if (string.IsNullOrEmpty(command.Command) || string.IsNullOrEmpty(command.ChannelId) || string.IsNullOrEmpty(command.UserId))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var run = runner.Start(command);
        SlashCommandResponse? payload;
        try
        {
            payload = await runner.AcknowledgeAsync(run, receivedAt, mayCarryReply: true, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // Slack hung up before the deadline: the reply goes through response_url.
            runner.AcknowledgeNow(run, mayCarryReply: false);
            return;
        }

        if (payload is null)
        {
            return;
        }

        try
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(JsonSerializer.Serialize(payload, SlackJson.Context.SlashCommandResponse), context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Slack hung up before the answer: it goes through response_url instead.
            runner.AcknowledgementLost(run);
        }
    }
}
