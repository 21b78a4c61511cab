using Caisson.Core.Digests;
using Caisson.Core.Oci;

namespace Caisson.Images.Unpack;

// Placeholder until the unpack branch lands; the real definitions replace this file.
public enum WhiteoutMode
{
    Overlay,
    Apply,
}

public sealed record UnpackResult(Digest DiffId, long UncompressedSize, long EntryCount);

public static class LayerUnpacker
{
    public static Task<UnpackResult> UnpackAsync(Stream blob, LayerCompression compression, string rootDirectory, WhiteoutMode mode, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
