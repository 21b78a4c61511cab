using Caisson.Core.Oci;

namespace Caisson.Testing.Images;

/// <summary>How the image builder compresses a layer blob.</summary>
public enum LayerCompressionKind
{
    Gzip,
    Zstd,
    None,
}

/// <summary>Media types and the core enum for <see cref="LayerCompressionKind"/>.</summary>
public static class LayerCompressionKindExtensions
{
    public static LayerCompression ToCore(this LayerCompressionKind kind) => kind switch
    {
        LayerCompressionKind.Gzip => LayerCompression.Gzip,
        LayerCompressionKind.Zstd => LayerCompression.Zstd,
        LayerCompressionKind.None => LayerCompression.None,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// The layer media type in <paramref name="format"/>. Docker schema 2 has no zstd type of its own; docker and
    /// buildkit put the OCI zstd type into Docker manifests, and so do we.
    /// </summary>
    public static string LayerMediaType(this LayerCompressionKind kind, ImageFormat format) => (format, kind) switch
    {
        (ImageFormat.Oci, LayerCompressionKind.Gzip) => MediaTypes.OciLayerGzip,
        (ImageFormat.Oci, LayerCompressionKind.None) => MediaTypes.OciLayer,
        (ImageFormat.Docker, LayerCompressionKind.Gzip) => MediaTypes.DockerLayerGzip,
        (ImageFormat.Docker, LayerCompressionKind.None) => MediaTypes.DockerLayer,
        (_, LayerCompressionKind.Zstd) => MediaTypes.OciLayerZstd,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
