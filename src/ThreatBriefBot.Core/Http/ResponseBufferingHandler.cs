namespace ThreatBriefBot.Core.Http;

/// <summary>
/// Reads the whole response body inside the handler chain, so that an attempt's timeout (a strategy around this
/// handler) bounds a body that trickles in, as well as the headers; the layers above then read it from memory.
/// For small JSON answers (chat APIs), not for feeds, which stream and cap their bodies.
/// </summary>
public sealed class ResponseBufferingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
