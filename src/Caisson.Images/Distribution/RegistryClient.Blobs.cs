using System.Net.Http.Headers;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Core.References;

namespace Caisson.Images.Distribution;

public sealed partial class RegistryClient
{
    /// <summary>
    /// Opens a blob (a layer) for reading from byte <paramref name="offset"/>. Foreign-layer URLs in the descriptor are
    /// tried first, without credentials; then the pull endpoints. The stream resumes with Range requests after
    /// failures, never delivers more than <see cref="Descriptor.Size"/> bytes, and fails if the blob ends early.
    /// The caller verifies the digest (wrap it in <see cref="OpenVerifiedBlobAsync"/>'s stream to have it done).
    /// </summary>
    public async Task<Stream> OpenBlobAsync(
        ImageReference reference, Descriptor descriptor, long offset, RegistryCredentials? credentials, CancellationToken ct)
    {
        var digest = DigestOf(descriptor);
        if (offset < 0 || offset > descriptor.Size)
            throw new InvalidArgumentException($"offset {offset} is outside blob {digest} of {descriptor.Size} bytes");

        var sources = new List<BlobSource>();
        foreach (var url in descriptor.Urls ?? [])
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                sources.Add(new BlobSource(uri, null));
            else
                DistributionLog.ForeignUrlSkipped(logger, url);
        }

        foreach (var endpoint in endpoints.ForPull(reference.Registry))
            sources.Add(new BlobSource(endpoint.Blob(reference.Repository, digest), endpoint));

        var stream = new ResumableBlobStream(
            sources,
            (source, from, token) => RequestBlobAsync(reference.Repository, source, from, credentials, token),
            descriptor.Size, offset, $"blob {digest} of {reference.Name}", options, logger);
        try
        {
            await stream.OpenAsync(ct);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        return stream;
    }

    /// <summary>
    /// Like <see cref="OpenBlobAsync"/> from the start of the blob, with the digest and size checked when the stream
    /// ends: reading its last byte throws if the content is not what the descriptor names.
    /// </summary>
    public async Task<Stream> OpenVerifiedBlobAsync(
        ImageReference reference, Descriptor descriptor, RegistryCredentials? credentials, CancellationToken ct)
    {
        var stream = await OpenBlobAsync(reference, descriptor, 0, credentials, ct);
        return new VerifyingStream(stream, DigestOf(descriptor), descriptor.Size, $"blob {descriptor.Digest} of {reference.Name}");
    }

    private Task<HttpResponseMessage> RequestBlobAsync(
        string repository, BlobSource source, long offset, RegistryCredentials? credentials, CancellationToken ct)
    {
        HttpRequestMessage Build(Uri uri)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (offset > 0)
                request.Headers.Range = new RangeHeaderValue(offset, null);
            return request;
        }

        return source.Endpoint is { } endpoint
            ? transport.SendAsync(endpoint, repository, RegistryAccess.Pull, credentials, Build, source.Uri, ct)
            : transport.Sender.SendAsync(Build, source.Uri, null, null, options.HostOptionsFor(source.Uri.Authority), ct);
    }
}
