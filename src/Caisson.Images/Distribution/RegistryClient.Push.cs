using System.Net;
using System.Net.Http.Headers;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Core.References;

namespace Caisson.Images.Distribution;

public sealed partial class RegistryClient
{
    /// <summary>
    /// Uploads a blob to the registry itself (never a mirror) unless it already has it: HEAD, then POST for an upload
    /// session and one monolithic PUT of <paramref name="content"/> (exactly <see cref="Descriptor.Size"/> bytes).
    /// </summary>
    public async Task PushBlobAsync(
        ImageReference reference, Descriptor descriptor, Stream content, RegistryCredentials? credentials, CancellationToken ct)
    {
        var digest = DigestOf(descriptor);
        var what = $"pushing blob {digest} to {reference.Name}";
        try
        {
            await PushBlobCoreAsync(reference, descriptor, digest, content, credentials, what, ct);
        }
        catch (CaissonException e)
        {
            throw RegistryErrors.InContext(what, e);
        }
    }

    private async Task PushBlobCoreAsync(
        ImageReference reference, Descriptor descriptor, Digest digest, Stream content, RegistryCredentials? credentials, string what,
        CancellationToken ct)
    {
        var endpoint = endpoints.Primary(reference.Registry);

        using (var head = await SendPushAsync(endpoint, reference, credentials,
            uri => new HttpRequestMessage(HttpMethod.Head, uri), endpoint.Blob(reference.Repository, digest), ct))
        {
            if (head.IsSuccessStatusCode)
                return;
            if (head.StatusCode != HttpStatusCode.NotFound)
                throw await RegistryErrors.FromResponseAsync(head, what, endpoint.ToString(), ct);
        }

        Uri location;
        using (var start = await SendPushAsync(endpoint, reference, credentials,
            uri => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent([]) },
            endpoint.Uploads(reference.Repository), ct))
        {
            if (start.StatusCode != HttpStatusCode.Accepted)
                throw await RegistryErrors.FromResponseAsync(start, what, endpoint.ToString(), ct);
            location = UploadLocation(start, what);
        }

        var sent = false;
        var origin = content.CanSeek ? content.Position : 0;
        HttpRequestMessage BuildPut(Uri uri)
        {
            // A stream can be sent once; a registry that wants it again (a 401 after a token expired) gets an error.
            if (sent && !content.CanSeek)
                throw new CaissonException(ErrorKind.Unavailable, $"{what}: the registry asked for the upload twice");
            if (sent)
                content.Position = origin;
            sent = true;
            var body = new StreamContent(new LengthLimitedStream(content, descriptor.Size));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            body.Headers.ContentLength = descriptor.Size;
            return new HttpRequestMessage(HttpMethod.Put, uri) { Content = body };
        }

        using var put = await SendPushAsync(endpoint, reference, credentials, BuildPut, WithDigest(location, digest), ct);
        if (put.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.OK))
            throw await RegistryErrors.FromResponseAsync(put, what, endpoint.ToString(), ct);
    }

    /// <summary>Uploads a manifest or index under a tag or its digest (verified first when a digest is given).</summary>
    public async Task PushManifestAsync(
        ImageReference reference, string tagOrDigest, string mediaType, byte[] content, RegistryCredentials? credentials, CancellationToken ct)
    {
        var what = $"pushing manifest {reference.Name}:{tagOrDigest}";
        if (Digest.TryParse(tagOrDigest, out var digest))
            ContentDigest.Verify(what, digest, content);
        if (content.Length > ManifestDocument.MaxSize)
            throw new InvalidArgumentException($"{what}: {content.Length} bytes is over the {ManifestDocument.MaxSize}-byte manifest limit");

        var endpoint = endpoints.Primary(reference.Registry);
        HttpRequestMessage Build(Uri uri)
        {
            var body = new ByteArrayContent(content);
            body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, uri) { Content = body };
        }

        try
        {
            using var response = await SendPushAsync(endpoint, reference, credentials, Build, endpoint.Manifest(reference.Repository, tagOrDigest), ct);
            if (!response.IsSuccessStatusCode)
                throw await RegistryErrors.FromResponseAsync(response, what, endpoint.ToString(), ct);
        }
        catch (CaissonException e)
        {
            throw RegistryErrors.InContext(what, e);
        }
    }

    private Task<HttpResponseMessage> SendPushAsync(
        RegistryEndpoint endpoint, ImageReference reference, RegistryCredentials? credentials,
        Func<Uri, HttpRequestMessage> build, Uri uri, CancellationToken ct) =>
        transport.SendAsync(endpoint, reference.Repository, RegistryAccess.Push, credentials, build, uri, ct);

    private static Uri UploadLocation(HttpResponseMessage response, string what)
    {
        var location = response.Headers.Location
            ?? throw RegistryErrors.BadContent(what, "the registry started an upload without a Location");
        var baseUri = response.RequestMessage?.RequestUri
            ?? throw new InvalidOperationException("a response without its request");
        return location.IsAbsoluteUri ? location : new Uri(baseUri, location);
    }

    private static Uri WithDigest(Uri location, Digest digest)
    {
        var query = location.Query.TrimStart('?');
        var separator = query.Length > 0 ? "&" : "";
        return new UriBuilder(location) { Query = $"{query}{separator}digest={Uri.EscapeDataString(digest.ToString())}" }.Uri;
    }
}
