using Caisson.Core.Digests;

namespace Caisson.Images.Metadata;

/// <summary>
/// One image name and what it points to. The target may be an index; <see cref="ManifestDigest"/> is the
/// platform manifest chosen from it and <see cref="ConfigDigest"/> the image id.
/// </summary>
public sealed record ImageRecord(
    string Name,
    Digest TargetDigest,
    string TargetMediaType,
    long TargetSize,
    Digest ManifestDigest,
    Digest ConfigDigest,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A snapshot's row: a committed layer stack keyed by chain id, or a container's active layer.</summary>
public sealed record SnapshotRecord(string Key, string? Parent, string Kind, DateTimeOffset CreatedAt);

/// <summary>What a lease keeps from garbage collection.</summary>
public enum LeaseResourceKind
{
    Content,
    Snapshot,
}
