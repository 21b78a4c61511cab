using Caisson.Core.Digests;
using Caisson.Core.Oci;

namespace Caisson.Testing.Images;

/// <summary>A built layer: its blob (compressed) and the tar it holds. Treat the byte arrays as read-only.</summary>
public sealed record BuiltLayer
{
    /// <summary>The layer descriptor as the manifest lists it (media type, digest and size of <see cref="Compressed"/>).</summary>
    public required Descriptor Descriptor { get; init; }

    /// <summary>The blob as pushed: <see cref="UncompressedTar"/> compressed with <see cref="Compression"/>.</summary>
    public required byte[] Compressed { get; init; }

    public required byte[] UncompressedTar { get; init; }

    public required LayerCompressionKind Compression { get; init; }

    /// <summary>The digest of the blob (<see cref="Compressed"/>).</summary>
    public required Digest Digest { get; init; }

    /// <summary>The digest of the uncompressed tar, as listed in the config's rootfs.diff_ids.</summary>
    public required Digest DiffId { get; init; }

    internal static BuiltLayer Create(byte[] tar, LayerCompressionKind compression, ImageFormat format)
    {
        var blob = LayerCompressor.Compress(tar, compression);
        var digest = Digest.Sha256Of(blob);
        return new BuiltLayer
        {
            Descriptor = new Descriptor
            {
                MediaType = compression.LayerMediaType(format),
                Digest = digest.ToString(),
                Size = blob.Length,
            },
            Compressed = blob,
            UncompressedTar = tar,
            Compression = compression,
            Digest = digest,
            DiffId = Digest.Sha256Of(tar),
        };
    }

    /// <summary>The same layer as listed in an image of <paramref name="format"/>.</summary>
    internal BuiltLayer For(ImageFormat format) =>
        this with { Descriptor = Descriptor with { MediaType = Compression.LayerMediaType(format) } };
}
