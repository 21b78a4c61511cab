using Caisson.Core.Oci;

namespace Caisson.Images.Archive;

/// <summary>Bounds on what an archive may make the daemon hold or do.</summary>
internal static class ArchiveLimits
{
    /// <summary>manifest.json, index.json, manifests and configs are read into memory; none may be larger.</summary>
    public const int MaxDocumentSize = ManifestDocument.MaxSize;

    /// <summary>Tar entries (a docker save of many images has three or four per layer).</summary>
    public const int MaxEntries = 100_000;

    /// <summary>Layers in one image (overlayfs itself stops well below this).</summary>
    public const int MaxLayers = 1000;

    /// <summary>Hops when following links between archive entries.</summary>
    public const int MaxLinkHops = 16;
}
