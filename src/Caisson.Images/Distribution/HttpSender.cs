using System.Net;
using System.Net.Http.Headers;
using Caisson.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Distribution;

/// <summary>
/// Sends one logical request, following redirects by hand so that the Authorization header only ever goes to the
/// origin it was meant for (blob downloads are routinely redirected to storage on other hosts).
/// </summary>
internal sealed class HttpSender(HttpClientPool clients, RegistryOptions options, ILogger logger)
{
    private const int MaxRedirects = 5;
    private const long LargeBody = 1024 * 1024;

    /// <summary>
    /// Sends <paramref name="build"/>'s request to <paramref name="uri"/>, and to any redirect target for GET and HEAD.
    /// <paramref name="authorization"/> is attached only while the target's origin is <paramref name="authorizedOrigin"/>.
    /// Returns the final response (any status) once its headers are in; throws Unavailable on transport failure.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        Func<Uri, HttpRequestMessage> build,
        Uri uri,
        AuthenticationHeaderValue? authorization,
        string? authorizedOrigin,
        RegistryHostOptions? hostOptions,
        CancellationToken ct)
    {
        var target = uri;
        for (var hop = 0; ; hop++)
        {
            var request = build(target);
            var origin = target.GetLeftPart(UriPartial.Authority);
            if (authorization is not null && string.Equals(origin, authorizedOrigin, StringComparison.OrdinalIgnoreCase))
                request.Headers.Authorization = authorization;

            var sameOriginAsFirst = string.Equals(origin, uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
            var client = clients.For(target, sameOriginAsFirst ? hostOptions : options.HostOptionsFor(target.Authority));
            var response = await SendOnceAsync(client, request, ct);

            var location = response.Headers.Location;
            if (!IsRedirect(response.StatusCode) || location is null
                || (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head))
            {
                return response;
            }

            response.Dispose();
            request.Dispose();
            if (hop == MaxRedirects)
                throw new FailedPreconditionException($"{LogUrl.Of(uri)}: more than {MaxRedirects} redirects");
            var next = location.IsAbsoluteUri ? location : new Uri(target, location);
            if (next.Scheme is not ("http" or "https"))
                throw new FailedPreconditionException($"{LogUrl.Of(target)} redirected to a {next.Scheme} URL");
            target = next;
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpClient client, HttpRequestMessage request, CancellationToken ct)
    {
        var url = LogUrl.Of(request.RequestUri!);
        using var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Headers come only after an upload's body is sent, so a large upload gets no such deadline.
        if (request.Content?.Headers.ContentLength is null or <= LargeBody)
            headersTimeout.CancelAfter(options.StallTimeout);
        try
        {
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headersTimeout.Token);
            DistributionLog.Request(logger, request.Method.Method, url, (int)response.StatusCode);
            return response;
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            DistributionLog.RequestFailed(logger, request.Method.Method, url, "no response in time");
            throw new CaissonException(
                ErrorKind.Unavailable, $"{request.Method} {url}: no response within {options.StallTimeout.TotalSeconds:0.#} s", e);
        }
        catch (HttpRequestException e)
        {
            DistributionLog.RequestFailed(logger, request.Method.Method, url, e.Message);
            throw RegistryErrors.Network($"{request.Method}", request.RequestUri!, e);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
