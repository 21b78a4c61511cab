using System.IO.Compression;
using Caisson.Core.Oci;

namespace Caisson.Images.Unpack;

/// <summary>Opens a decompressing read stream over a layer blob.</summary>
public static class Decompression
{
    /// <summary>
    /// A stream of the uncompressed bytes of <paramref name="compressed"/>. Disposing it disposes
    /// <paramref name="compressed"/> unless <paramref name="leaveOpen"/> is set.
    /// Corrupt data surfaces as <see cref="InvalidDataException"/> (gzip) or ZstdSharp.ZstdException (zstd).
    /// </summary>
    public static Stream Open(Stream compressed, LayerCompression compression, bool leaveOpen = false) => compression switch
    {
        LayerCompression.None => leaveOpen ? new NonClosingStream(compressed) : compressed,
        LayerCompression.Gzip => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen),
        LayerCompression.Zstd => new ZstdSharp.DecompressionStream(compressed, leaveOpen: leaveOpen),
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "unknown layer compression"),
    };
}
