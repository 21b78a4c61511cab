using System.IO.Compression;
using ZstdSharp;

namespace Caisson.Testing.Images;

/// <summary>Compresses and decompresses layer blobs, so tests can check what they pulled.</summary>
public static class LayerCompressor
{
    public static byte[] Compress(byte[] tar, LayerCompressionKind kind)
    {
        switch (kind)
        {
            case LayerCompressionKind.None:
                return tar;
            case LayerCompressionKind.Gzip:
                using (var output = new MemoryStream())
                {
                    using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
                        gzip.Write(tar);
                    return output.ToArray();
                }

            case LayerCompressionKind.Zstd:
                using (var compressor = new Compressor(level: 3))
                    return compressor.Wrap(tar).ToArray();
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    public static byte[] Decompress(byte[] blob, LayerCompressionKind kind)
    {
        switch (kind)
        {
            case LayerCompressionKind.None:
                return blob;
            case LayerCompressionKind.Gzip:
                using (var gzip = new GZipStream(new MemoryStream(blob), CompressionMode.Decompress))
                using (var output = new MemoryStream())
                {
                    gzip.CopyTo(output);
                    return output.ToArray();
                }

            case LayerCompressionKind.Zstd:
                using (var zstd = new DecompressionStream(new MemoryStream(blob)))
                using (var output = new MemoryStream())
                {
                    zstd.CopyTo(output);
                    return output.ToArray();
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
