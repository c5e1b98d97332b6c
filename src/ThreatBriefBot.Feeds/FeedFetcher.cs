using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ThreatBriefBot.Core.Http;
using ThreatBriefBot.Core.Feeds;

namespace ThreatBriefBot.Feeds;

public enum FeedFetchStatus
{
    Ok,
    NotModified,
    Failed,
}

/// <param name="Feed">The feed when <see cref="Status"/> is <see cref="FeedFetchStatus.Ok"/>.</param>
/// <param name="ETag">The validators to send on the next poll (kept from the state when the server sent none).</param>
/// <param name="Error">One line, for people, when <see cref="Status"/> is <see cref="FeedFetchStatus.Failed"/>.</param>
public sealed record FeedFetchResult(FeedFetchStatus Status, ParsedFeed? Feed, string? ETag, string? LastModified, string? Error)
{
    /// <summary>True when a document was received but could not be read as a feed at all.</summary>
    public bool NotAFeed { get; init; }

    /// <summary>How long the server asked us to wait (Retry-After on a 429 or 503).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Until when the publisher says the feed stays fresh: Cache-Control max-age, Expires, or RSS ttl.</summary>
    public DateTimeOffset? FreshUntil { get; init; }

    /// <summary>The feed's new address when every redirect on the way was permanent (301, 308).</summary>
    public string? MovedTo { get; init; }
}

/// <summary>
/// Reads a feed from an http(s) URL (politely: user agent, conditional GET, size cap) or a local file. Never throws
/// for a bad feed or a failing server; only cancellation propagates.
/// </summary>
public sealed class FeedFetcher(
    IHttpClientFactory httpClientFactory,
    HostThrottle throttle,
    FeedParser parser,
    IOptions<FeedsOptions> options,
    TimeProvider timeProvider,
    ILogger<FeedFetcher> logger)
{
    internal const string HttpClientName = "ThreatBriefBot.Feeds";

    private readonly long _maxDocumentBytes = options.Value.MaxDocumentBytes;

    public async Task<FeedFetchResult> FetchAsync(string source, FeedPollState? state, CancellationToken cancellationToken)
    {
        var result = TryHttpUri(source, out var uri)
            ? await FetchHttpAsync(uri, state, cancellationToken)
            : await ReadFileAsync(source, cancellationToken);
        switch (result.Status)
        {
            case FeedFetchStatus.Ok:
                Log.FeedFetched(logger, source, result.Feed!.Format, result.Feed.Entries.Count, result.Feed.Bozo);
                if (result.Feed.BozoReason is { } reason)
                {
                    Log.FeedRecovered(logger, source, reason);
                }

                break;
            case FeedFetchStatus.NotModified:
                Log.FeedNotModified(logger, source);
                break;
            default:
                Log.FeedFetchFailed(logger, source, result.Error!);
                break;
        }

        return result;
    }

    private static bool TryHttpUri(string source, out Uri uri) =>
        Uri.TryCreate(source.Trim(), UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private async Task<FeedFetchResult> FetchHttpAsync(Uri uri, FeedPollState? state, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);

        // HttpClient.Timeout stops at the headers; this also bounds a body that trickles in, and every redirect.
        using var timeout = new CancellationTokenSource(options.Value.RequestTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var visited = new HashSet<Uri> { uri };
        var permanent = true;
        try
        {
            // Redirects are followed here rather than by the handler, to count them, catch loops, hold the
            // per-host limits on each hop, and learn whether the feed moved for good.
            while (true)
            {
                using var slot = await throttle.EnterAsync(uri.Host, linked.Token);
                using var request = ConditionalGet(uri, state);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                if (RedirectTarget(response, uri) is { } next)
                {
                    if (!visited.Add(next))
                    {
                        return Failed($"redirect loop: {next} was visited before");
                    }

                    if (visited.Count > options.Value.MaxRedirects + 1)
                    {
                        return Failed($"too many redirects: more than {options.Value.MaxRedirects}");
                    }

                    permanent &= response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.PermanentRedirect;
                    uri = next;
                    continue;
                }

                var movedTo = permanent && visited.Count > 1 ? uri.ToString() : null;
                return await ReadResponseAsync(response, uri, state, linked.Token) with { MovedTo = movedTo };
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed($"timed out after {options.Value.RequestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return Failed("cannot connect: " + OneLine(ex.Message));
        }
        catch (IOException ex)
        {
            return Failed("connection broken: " + OneLine(ex.Message));
        }
    }

    private static HttpRequestMessage ConditionalGet(Uri uri, FeedPollState? state)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (!string.IsNullOrEmpty(state?.ETag))
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", state.ETag);
        }

        if (!string.IsNullOrEmpty(state?.LastModified))
        {
            request.Headers.TryAddWithoutValidation("If-Modified-Since", state.LastModified);
        }

        return request;
    }

    /// <summary>Where a 3xx response points, resolved against the request; null when it is not a redirect.</summary>
    private static Uri? RedirectTarget(HttpResponseMessage response, Uri requested) =>
        (int)response.StatusCode is 301 or 302 or 303 or 307 or 308
        && response.Headers.Location is { } location
        && Uri.TryCreate(requested, location, out var target)
        && (target.Scheme == Uri.UriSchemeHttp || target.Scheme == Uri.UriSchemeHttps)
            ? target
            : null;

    private async Task<FeedFetchResult> ReadResponseAsync(HttpResponseMessage response, Uri uri, FeedPollState? state, CancellationToken cancellationToken)
    {
        var etag = response.Headers.TryGetValues("ETag", out var etags) ? etags.FirstOrDefault() : state?.ETag;
        var lastModified = response.Content.Headers.TryGetValues("Last-Modified", out var dates) ? dates.FirstOrDefault() : state?.LastModified;
        var freshUntil = FreshUntil(response);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new FeedFetchResult(FeedFetchStatus.NotModified, null, etag, lastModified, null) { FreshUntil = freshUntil };
        }

        if (!response.IsSuccessStatusCode)
        {
            var retryAfter = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable ? RetryAfterHeader.Parse(response.Headers.RetryAfter, timeProvider) : null;
            var asked = retryAfter is { } wait ? $" (retry after {wait.TotalSeconds:0} s)" : "";
            return Failed($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd() + asked) with { RetryAfter = retryAfter };
        }

        {

            if (response.Content.Headers.ContentLength > _maxDocumentBytes)
            {
                return Failed(TooLarge());
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var body = await ReadCappedAsync(stream, cancellationToken);
            if (body is null)
            {
                return Failed(TooLarge());
            }

            // Content-Location names the document actually served, so relative URLs resolve against it.
            var documentUri = response.Content.Headers.ContentLocation is { } location
                && Uri.TryCreate(uri, location, out var located) && located.Scheme is "http" or "https"
                    ? located
                    : uri;
            var parsed = Parse(body, response.Content.Headers.ContentType?.ToString(), documentUri) with { ETag = etag, LastModified = lastModified };
            return parsed with { FreshUntil = Later(freshUntil, TtlFloor(parsed.Feed)) };
        }
    }

    /// <summary>How long the publisher says the document stays fresh: Cache-Control max-age, else Expires; capped.</summary>
    private DateTimeOffset? FreshUntil(HttpResponseMessage response)
    {
        var now = timeProvider.GetUtcNow();
        DateTimeOffset? fresh = response.Headers.CacheControl?.MaxAge is { } maxAge
            ? now + maxAge
            : response.Content.Headers.Expires;
        return Capped(fresh, now);
    }

    /// <summary>RSS &lt;ttl&gt;: minutes the feed may be cached.</summary>
    private DateTimeOffset? TtlFloor(ParsedFeed? feed)
    {
        var now = timeProvider.GetUtcNow();
        return feed?.TtlMinutes is > 0 and var minutes ? Capped(now.AddMinutes(minutes), now) : null;
    }

    private DateTimeOffset? Capped(DateTimeOffset? fresh, DateTimeOffset now)
    {
        var cap = now + options.Value.MaxHonouredFreshness;
        return fresh > now ? (fresh > cap ? cap : fresh) : null;
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a > b || b is null ? a : b;

    private async Task<FeedFetchResult> ReadFileAsync(string source, CancellationToken cancellationToken)
    {
        string path;
        try
        {
            path = Uri.TryCreate(source, UriKind.Absolute, out var fileUri) && fileUri.IsFile ? fileUri.LocalPath : Path.GetFullPath(source);
        }
        catch (ArgumentException)
        {
            return Failed($"not found: '{source}' is neither an http(s) URL nor a file path");
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return Failed($"not found: {path}");
        }

        if (file.Length > _maxDocumentBytes)
        {
            return Failed(TooLarge());
        }

        try
        {
            return Parse(await File.ReadAllBytesAsync(path, cancellationToken), null, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failed($"cannot read {path}: {OneLine(ex.Message)}");
        }
    }

    private FeedFetchResult Parse(byte[] body, string? contentType, Uri? documentUri)
    {
        try
        {
            return new FeedFetchResult(FeedFetchStatus.Ok, parser.Parse(body, contentType, documentUri), null, null, null);
        }
        catch (FeedParseException ex)
        {
            return Failed(ex.Message) with { NotAFeed = true };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A parser bug must cost one feed one poll, not the whole run; the log keeps the details.
            Log.ParserFailed(logger, ex);
            return Failed($"not a feed: unreadable ({ex.GetType().Name})") with { NotAFeed = true };
        }
    }

    /// <summary>The whole body, or null when it is larger than the cap (counted after decompression).</summary>
    private async Task<byte[]?> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _maxDocumentBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private string TooLarge() => $"too large: more than {_maxDocumentBytes} bytes";

    private static FeedFetchResult Failed(string reason) => new(FeedFetchStatus.Failed, null, null, null, reason);

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
