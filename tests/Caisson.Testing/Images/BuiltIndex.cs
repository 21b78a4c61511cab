using Caisson.Core.Digests;
using Caisson.Core.Oci;

namespace Caisson.Testing.Images;

/// <summary>An OCI index or Docker manifest list built by <see cref="IndexBuilder"/>, with the images it lists.</summary>
public sealed class BuiltIndex : IBuiltManifest
{
    public required ImageFormat Format { get; init; }

    /// <summary>The index document as pushed.</summary>
    public required byte[] Bytes { get; init; }

    public required Descriptor Descriptor { get; init; }

    public required ImageIndex Index { get; init; }

    /// <summary>The images in the order the index lists them.</summary>
    public required IReadOnlyList<BuiltImage> Images { get; init; }

    public Digest Digest => Digest.Parse(Descriptor.Digest);

    /// <summary>The config and layer blobs of every image, by digest.</summary>
    public IReadOnlyDictionary<Digest, byte[]> Blobs =>
        Images.SelectMany(i => i.Blobs).DistinctBy(b => b.Key).ToDictionary(b => b.Key, b => b.Value);

    IReadOnlyList<IBuiltManifest> IBuiltManifest.Children => Images;
}
