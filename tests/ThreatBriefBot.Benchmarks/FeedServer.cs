using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace ThreatBriefBot.Benchmarks;

/// <summary>
/// The feed publisher, run in a child process (<c>--serve</c>) so its memory is not counted in the harness's working
/// set. Kestrel on 127.0.0.1 only, port chosen by the system. It prints <c>listening URL</c>, then answers one line
/// per command read from stdin (<c>generation N</c>, <c>stats</c>) and stops when stdin closes.
/// </summary>
internal sealed class FeedServer(BenchmarkOptions options)
{
    private long _requests;
    private long _ok;
    private long _notModified;
    private long _notFound;
    private long _bytes;
    private int _generation = 1;

    public static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        var server = new FeedServer(options);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await Console.Out.WriteLineAsync("listening " + address);
        await Console.Out.FlushAsync();

        while (await Console.In.ReadLineAsync() is { } command)
        {
            await Console.Out.WriteLineAsync(server.Answer(command));
            await Console.Out.FlushAsync();
        }

        await app.StopAsync();
        return 0;
    }

    private string Answer(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words)
        {
            case ["generation", var value] when int.TryParse(value, CultureInfo.InvariantCulture, out var generation):
                Volatile.Write(ref _generation, generation);
                return "ok";
            case ["stats"]:
                using (var process = Process.GetCurrentProcess())
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"stats {Interlocked.Read(ref _requests)} {Interlocked.Read(ref _ok)} {Interlocked.Read(ref _notModified)} " +
                        $"{Interlocked.Read(ref _notFound)} {Interlocked.Read(ref _bytes)} {process.TotalProcessorTime.Ticks} {process.PeakWorkingSet64}");
                }

            default:
                return "error unknown command";
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        var response = context.Response;
        if (FeedDocuments.FeedOf(request.Path.Value ?? "") is not { } feed || feed >= options.Feeds || !HttpMethods.IsGet(request.Method))
        {
            Interlocked.Increment(ref _notFound);
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var changes = FeedDocuments.Changes(feed, options.NotModifiedShare);
        var generation = Volatile.Read(ref _generation);
        var etag = FeedDocuments.ETagOf(feed, generation, changes);
        var lastModified = FeedDocuments.LastModifiedOf(feed, generation, changes);
        response.Headers.ETag = etag;
        response.Headers.LastModified = lastModified.ToString("R", CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "max-age=900";
        if (NotModified(request, etag, lastModified))
        {
            Interlocked.Increment(ref _notModified);
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var body = FeedDocuments.Render(feed, options.Items, lastModified);
        Interlocked.Increment(ref _ok);
        Interlocked.Add(ref _bytes, body.Length);
        response.ContentType = "application/rss+xml; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it.</summary>
    private static bool NotModified(HttpRequest request, string etag, DateTimeOffset lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
                && tags.Any(t => t.Tag == "*" || t.Tag.Equals(etag, StringComparison.Ordinal));
        }

        return request.GetTypedHeaders().IfModifiedSince is { } since && lastModified <= since;
    }
}
