using Caisson.Core.Oci;

namespace Caisson.Images.Store;

/// <summary>Where the image store lives and how it pulls.</summary>
public sealed record ImageStoreOptions
{
    /// <summary>The persistent root (content/, snapshots/, metadata.db beneath it).</summary>
    public required string Root { get; init; }

    /// <summary>overlayfs or native; overlayfs falls back to native (with a warning) where it cannot mount.</summary>
    public string Snapshotter { get; init; } = "overlayfs";

    public int MaxConcurrentDownloads { get; init; } = 3;

    public Platform Platform { get; init; } = Platform.Current;
}
