using Caisson.Core.Digests;
using Caisson.Core.Oci;

namespace Caisson.Testing.Images;

/// <summary>A built image manifest or index with everything it references, ready to push or write out.</summary>
public interface IBuiltManifest
{
    /// <summary>Media type, digest and size of <see cref="Bytes"/>.</summary>
    Descriptor Descriptor { get; }

    /// <summary>The manifest or index document as pushed.</summary>
    byte[] Bytes { get; }

    /// <summary>The digest of <see cref="Bytes"/>.</summary>
    Digest Digest { get; }

    /// <summary>The manifests this one references (an index's images), pushed before it.</summary>
    IReadOnlyList<IBuiltManifest> Children { get; }

    /// <summary>Every config and layer blob this manifest and its children reference, by digest.</summary>
    IReadOnlyDictionary<Digest, byte[]> Blobs { get; }
}
