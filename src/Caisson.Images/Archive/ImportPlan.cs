using Caisson.Core.Digests;
using Caisson.Core.Oci;

namespace Caisson.Images.Archive;

/// <summary>
/// A blob a load keeps: a file of the archive, a document built in memory (a manifest for docker save layers),
/// or a blob the store already holds (only leased, so garbage collection leaves it alone meanwhile).
/// </summary>
internal sealed record PlannedBlob(Digest Digest, long Size, string MediaType, string? ArchiveName, byte[]? Content);

/// <summary>One image an archive holds, resolved to the platform manifest this store runs.</summary>
internal sealed class PlannedImage(Descriptor target, Digest manifestDigest, ImageManifest manifest, Digest configDigest, ImageConfig config)
{
    /// <summary>What the names point to: the manifest, or the index it was chosen from.</summary>
    public Descriptor Target { get; } = target;

    public Digest TargetDigest { get; } = Digest.Parse(target.Digest);

    public Digest ManifestDigest { get; } = manifestDigest;

    public ImageManifest Manifest { get; } = manifest;

    public Digest ConfigDigest { get; } = configDigest;

    public ImageConfig Config { get; } = config;

    /// <summary>Normalized names, in the order the archive gave them.</summary>
    public List<string> Names { get; } = [];

    public void AddName(string? name)
    {
        if (name is not null && !Names.Contains(name))
            Names.Add(name);
    }
}

/// <summary>Everything a load will store, worked out (and validated) before anything is stored.</summary>
internal sealed class ImportPlan
{
    private readonly Dictionary<Digest, PlannedBlob> _blobs = [];
    private readonly List<PlannedImage> _images = [];

    public IReadOnlyCollection<PlannedBlob> Blobs => _blobs.Values;

    public IReadOnlyList<PlannedImage> Images => _images;

    public void AddBlob(PlannedBlob blob)
    {
        // A blob the archive carries beats a lease-only entry for the same digest.
        if (!_blobs.TryGetValue(blob.Digest, out var known) || (known.ArchiveName is null && known.Content is null))
            _blobs[blob.Digest] = blob;
    }

    /// <summary>Adds an image, or returns the one already planned with the same target (two names, one image).</summary>
    public PlannedImage AddImage(PlannedImage image)
    {
        var existing = _images.FirstOrDefault(i => i.TargetDigest == image.TargetDigest);
        if (existing is not null)
            return existing;
        _images.Add(image);
        return image;
    }

    /// <summary>An image already planned with this config and these layer blobs (docker save and OCI views of one image).</summary>
    public PlannedImage? FindEquivalent(Digest configDigest, IReadOnlyList<Digest> layers) =>
        _images.FirstOrDefault(i => i.ConfigDigest == configDigest
            && i.Manifest.Layers.Select(l => Digest.Parse(l.Digest)).SequenceEqual(layers));
}
