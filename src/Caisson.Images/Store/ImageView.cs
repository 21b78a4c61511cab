using Caisson.Core.Digests;
using Caisson.Core.Oci;
using Caisson.Images.Metadata;

namespace Caisson.Images.Store;

/// <summary>An image as clients see it: one config digest (the id) with every name that points to it.</summary>
public sealed record ImageView(
    Digest Id,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    long Size,
    ImageDetails Details,
    IReadOnlyList<ImageRecord> Records);

/// <summary>What a manifest says, parsed once and cached by manifest digest.</summary>
public sealed record ImageDetails(
    Digest ManifestDigest,
    string ManifestMediaType,
    ImageManifest Manifest,
    byte[] ManifestJson,
    ImageConfig Config,
    byte[] ConfigJson,
    IReadOnlyList<Digest> DiffIds,
    IReadOnlyList<Digest> ChainIds)
{
    /// <summary>Bytes the image takes in the registry: config plus layer blobs (as containerd reports it).</summary>
    public long Size => Manifest.Config.Size + Manifest.Layers.Sum(l => l.Size);

    /// <summary>The chain id of the whole stack (the rootfs snapshot), or null for an image without layers.</summary>
    public Digest? TopChainId => ChainIds.Count == 0 ? null : ChainIds[^1];
}
