using System.Net;
using System.Net.Http.Headers;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Testing.Images;

namespace Caisson.Testing.Registry;

/// <summary>
/// Pushes built images and indexes to a registry with plain HTTP requests of the distribution API: blobs by
/// monolithic upload (POST, then PUT <c>?digest=</c>) unless already there, an index's images by digest, then the
/// top manifest under its tag. Deliberately separate from Caisson's own client, so a bug there cannot hide here.
/// </summary>
public sealed class RegistryPusher
{
    private readonly HttpClient client;

    /// <summary><paramref name="client"/> carries the base address and any Authorization header.</summary>
    public RegistryPusher(HttpClient client)
    {
        if (client.BaseAddress is null)
            throw new ArgumentException("the HttpClient needs a BaseAddress (the registry's http(s)://host:port/)", nameof(client));
        this.client = client;
    }

    /// <summary>A pusher with its own HttpClient; pass a handler to trust a test CA, basic credentials or a bearer token.</summary>
    public static RegistryPusher Create(Uri baseUri, HttpMessageHandler? handler = null, RegistryCredentials? basic = null, string? bearerToken = null)
    {
        var client = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = baseUri };
        if (basic is not null)
            client.DefaultRequestHeaders.Authorization = basic.ToBasicHeader();
        else if (bearerToken is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return new RegistryPusher(client);
    }

    /// <summary>
    /// Pushes <paramref name="content"/> as <paramref name="reference"/>: "repo:tag", "repo@sha256:..." (which must
    /// be the content's digest) or "repo" (by digest only). Returns the digest of the pushed manifest or index.
    /// </summary>
    public async Task<Digest> PushAsync(IBuiltManifest content, string reference, CancellationToken cancellationToken = default)
    {
        var (repository, tagOrDigest) = SplitReference(reference);
        if (tagOrDigest.Length == 0)
            tagOrDigest = content.Digest.ToString();
        if (tagOrDigest.Contains(':', StringComparison.Ordinal) && tagOrDigest != content.Digest.ToString())
            throw new ArgumentException($"{reference} names a digest other than the content's {content.Digest}", nameof(reference));

        foreach (var (digest, bytes) in content.Blobs)
            await PushBlobAsync(repository, digest, bytes, cancellationToken);
        foreach (var child in content.Children)
            await PushManifestAsync(repository, child.Digest.ToString(), child.Bytes, child.Descriptor.MediaType, cancellationToken);
        await PushManifestAsync(repository, tagOrDigest, content.Bytes, content.Descriptor.MediaType, cancellationToken);
        return content.Digest;
    }

    /// <summary>Uploads one blob unless the repository has it already. The digest is not checked here: tests may lie.</summary>
    public async Task PushBlobAsync(string repository, Digest digest, byte[] content, CancellationToken cancellationToken = default)
    {
        using (var head = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}"))
        using (var exists = await client.SendAsync(head, cancellationToken))
        {
            if (exists.StatusCode == HttpStatusCode.OK)
                return;
        }

        using var start = new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/");
        using var started = await SendCheckedAsync(start, HttpStatusCode.Accepted, cancellationToken);
        var location = started.Headers.Location
            ?? throw new CaissonException(ErrorKind.Internal, $"POST {start.RequestUri}: 202 without a Location header");
        var upload = location.IsAbsoluteUri ? location : new Uri(client.BaseAddress!, location);
        var separator = string.IsNullOrEmpty(upload.Query) ? "?" : "&";

        using var put = new HttpRequestMessage(HttpMethod.Put, $"{upload}{separator}digest={Uri.EscapeDataString(digest.ToString())}")
        {
            Content = new ByteArrayContent(content),
        };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var _ = await SendCheckedAsync(put, HttpStatusCode.Created, cancellationToken);
    }

    /// <summary>Puts a manifest or index document under a tag or its digest, with its media type as Content-Type.</summary>
    public async Task PushManifestAsync(string repository, string tagOrDigest, byte[] document, string mediaType, CancellationToken cancellationToken = default)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{tagOrDigest}")
        {
            Content = new ByteArrayContent(document),
        };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var _ = await SendCheckedAsync(put, HttpStatusCode.Created, cancellationToken);
    }

    /// <summary>"repo:tag" is (repo, tag); "repo@sha256:x" is (repo, sha256:x); "repo" alone is (repo, "") and pushes by digest.</summary>
    public static (string Repository, string TagOrDigest) SplitReference(string reference)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
            return (reference[..at], reference[(at + 1)..]);
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "");
    }

    private async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode == expected)
            return response;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var kind = response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => ErrorKind.Unauthenticated,
                HttpStatusCode.Forbidden => ErrorKind.PermissionDenied,
                HttpStatusCode.NotFound => ErrorKind.NotFound,
                HttpStatusCode.BadRequest => ErrorKind.InvalidArgument,
                _ => ErrorKind.Internal,
            };
            throw new CaissonException(kind, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {response.StatusCode}, expected {(int)expected}: {body.Trim()}");
        }
    }
}
