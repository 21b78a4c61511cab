using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Core.References;

namespace Caisson.Images.Distribution;

public sealed partial class RegistryClient
{
    private const string DockerContentDigest = "Docker-Content-Digest";

    /// <summary>
    /// Fetches the manifest or index that <paramref name="reference"/> names (by tag or digest) from the first endpoint
    /// that has it. The content is verified against the reference's digest and the registry's Docker-Content-Digest,
    /// is read only up to <see cref="ManifestDocument.MaxSize"/>, and must parse (schema 1 is refused).
    /// </summary>
    public Task<ResolvedManifest> ResolveAsync(ImageReference reference, RegistryCredentials? credentials, CancellationToken ct)
    {
        var what = $"manifest {reference}";
        return OnEachEndpointAsync(reference.Registry, what, async (endpoint, token) =>
        {
            var uri = endpoint.Manifest(reference.Repository, reference.ManifestReference);
            using var response = await transport.SendAsync(
                endpoint, reference.Repository, RegistryAccess.Pull, credentials, u => ManifestRequest(u, null), uri, token);
            await EnsureSuccessAsync(response, what, endpoint, token);
            var content = await BoundedContent.ReadAsync(
                response, ManifestDocument.MaxSize, options.StallTimeout, what, truncate: false, token, "manifest size limit");
            var digest = VerifyManifestDigest(what, reference.Digest, response, content);

            ManifestDocument document;
            try
            {
                document = ManifestDocument.Parse(content, response.Content.Headers.ContentType?.MediaType);
            }
            catch (CaissonException e)
            {
                throw RegistryErrors.WithContext(e, $"{what} from {endpoint}: {e.Message}");
            }

            var descriptor = new Descriptor { MediaType = document.MediaType, Digest = digest.ToString(), Size = content.Length };
            return new ResolvedManifest(reference, descriptor, content, endpoint.ToString());
        }, ct);
    }

    /// <summary>Fetches a manifest by its descriptor (from an index): verified against digest and size.</summary>
    public async Task<byte[]> FetchManifestAsync(
        ImageReference reference, Descriptor descriptor, RegistryCredentials? credentials, CancellationToken ct)
    {
        var digest = DigestOf(descriptor);
        return await FetchSmallAsync(
            reference, descriptor, digest, credentials, $"manifest {digest} of {reference.Name}",
            endpoint => endpoint.Manifest(reference.Repository, digest.ToString()), uri => ManifestRequest(uri, descriptor.MediaType), ct);
    }

    /// <summary>Fetches a small blob (an image config) into memory: verified, at most <see cref="ManifestDocument.MaxSize"/>.</summary>
    public async Task<byte[]> FetchSmallBlobAsync(
        ImageReference reference, Descriptor descriptor, RegistryCredentials? credentials, CancellationToken ct)
    {
        var digest = DigestOf(descriptor);
        return await FetchSmallAsync(
            reference, descriptor, digest, credentials, $"blob {digest} of {reference.Name}",
            endpoint => endpoint.Blob(reference.Repository, digest), uri => new HttpRequestMessage(HttpMethod.Get, uri), ct);
    }

    private Task<byte[]> FetchSmallAsync(
        ImageReference reference, Descriptor descriptor, Digest digest, RegistryCredentials? credentials, string what,
        Func<RegistryEndpoint, Uri> uriOf, Func<Uri, HttpRequestMessage> build, CancellationToken ct)
    {
        if (descriptor.Size > ManifestDocument.MaxSize)
        {
            throw new CaissonException(ErrorKind.ResourceExhausted,
                $"{what}: its descriptor declares {descriptor.Size} bytes, over the {ManifestDocument.MaxSize}-byte limit for documents held in memory");
        }

        return OnEachEndpointAsync(reference.Registry, what, async (endpoint, token) =>
        {
            using var response = await transport.SendAsync(
                endpoint, reference.Repository, RegistryAccess.Pull, credentials, build, uriOf(endpoint), token);
            await EnsureSuccessAsync(response, what, endpoint, token);
            var content = await BoundedContent.ReadAsync(
                response, descriptor.Size, options.StallTimeout, what, truncate: false, token, "size its descriptor declares");
            if (content.Length != descriptor.Size)
                throw RegistryErrors.BadContent(what, $"{endpoint} sent {content.Length} bytes, its descriptor declares {descriptor.Size}");
            ContentDigest.Verify($"{what} from {endpoint}", digest, content);
            return content;
        }, ct);
    }

    private static HttpRequestMessage ManifestRequest(Uri uri, string? mediaType)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (!string.IsNullOrEmpty(mediaType) && !MediaTypes.ManifestAccept.Contains(mediaType))
            request.Headers.TryAddWithoutValidation("Accept", mediaType);
        foreach (var accepted in MediaTypes.ManifestAccept)
            request.Headers.TryAddWithoutValidation("Accept", accepted);
        return request;
    }

    /// <summary>
    /// The manifest's digest: the reference's when it has one, else its sha256. The content must match both that
    /// and the registry's Docker-Content-Digest header when one is sent.
    /// </summary>
    private static Digest VerifyManifestDigest(string what, Digest? expected, HttpResponseMessage response, byte[] content)
    {
        if (expected is { } wanted)
            ContentDigest.Verify(what, wanted, content);

        if (response.Headers.TryGetValues(DockerContentDigest, out var values) && values.FirstOrDefault() is { Length: > 0 } header)
        {
            if (!Digest.TryParse(header.Trim(), out var announced, out var why))
                throw RegistryErrors.BadContent(what, $"the registry sent an invalid {DockerContentDigest} \"{header}\": {why}");
            var actual = ContentDigest.Compute(announced.Algorithm, content);
            if (actual != announced)
                throw RegistryErrors.BadContent(what, $"digest mismatch: the registry's {DockerContentDigest} says {announced}, the content is {actual}");
        }

        return expected ?? ContentDigest.Compute("sha256", content);
    }
}
