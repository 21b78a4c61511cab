namespace Caisson.Images.Distribution;

/// <summary>A place to download a blob from: a registry endpoint, or a foreign-layer URL (which gets no credentials).</summary>
internal sealed record BlobSource(Uri Uri, RegistryEndpoint? Endpoint)
{
    public bool IsForeign => Endpoint is null;

    public override string ToString() => Endpoint?.ToString() ?? LogUrl.Of(Uri);
}

/// <summary>Sends a GET for the blob at <see cref="BlobSource"/> from a byte offset; returns the response whatever its status.</summary>
internal delegate Task<HttpResponseMessage> BlobRequester(BlobSource source, long offset, CancellationToken ct);
