using Caisson.Core.Digests;
using Caisson.Core.Oci;

namespace Caisson.Testing.Images;

/// <summary>An image built in memory by <see cref="ImageBuilder"/>. Treat the byte arrays as read-only.</summary>
public sealed class BuiltImage : IBuiltManifest
{
    public required ImageFormat Format { get; init; }

    public required Platform Platform { get; init; }

    /// <summary>The manifest document as pushed.</summary>
    public required byte[] ManifestBytes { get; init; }

    /// <summary>Media type, digest and size of <see cref="ManifestBytes"/> (no platform: an index adds it).</summary>
    public required Descriptor Descriptor { get; init; }

    public required ImageManifest Manifest { get; init; }

    /// <summary>The config blob as pushed; its digest is the image id.</summary>
    public required byte[] ConfigBytes { get; init; }

    public required Descriptor ConfigDescriptor { get; init; }

    public required ImageConfig Config { get; init; }

    /// <summary>Bottom layer first.</summary>
    public required IReadOnlyList<BuiltLayer> Layers { get; init; }

    /// <summary>The config blob and every layer blob, by digest.</summary>
    public required IReadOnlyDictionary<Digest, byte[]> Blobs { get; init; }

    public Digest Digest => Digest.Parse(Descriptor.Digest);

    /// <summary>The image id: the digest of the config.</summary>
    public Digest ConfigDigest => Digest.Parse(ConfigDescriptor.Digest);

    public IReadOnlyList<Digest> DiffIds => Layers.Select(l => l.DiffId).ToArray();

    /// <summary>The chain id of each layer prefix, bottom first: the keys of the snapshots an unpack makes.</summary>
    public IReadOnlyList<Digest> ChainIds => ChainId.Compute(DiffIds);

    byte[] IBuiltManifest.Bytes => ManifestBytes;

    IReadOnlyList<IBuiltManifest> IBuiltManifest.Children => [];
}
