using Caisson.Core.Digests;
using Caisson.Images.Snapshots;
using Caisson.Linux.Interop;

namespace Caisson.Tests.Images.Archive;

/// <summary>
/// The merged tree of a committed snapshot as a container would see it: a native snapshot is that tree already;
/// overlay layers are mounted read-only, topmost first, in a scratch directory removed on dispose.
/// </summary>
internal sealed class MergedSnapshot : IDisposable
{
    private readonly string? _scratch;

    private MergedSnapshot(string path, string? scratch)
    {
        Path = path;
        _scratch = scratch;
    }

    public string Path { get; }

    public static MergedSnapshot Open(ISnapshotter snapshotter, Digest chainId)
    {
        var layers = snapshotter.LayerDirectories(chainId);
        if (layers.Count == 1 && !snapshotter.UnpacksIndependently)
            return new MergedSnapshot(layers[0], null);

        var scratch = Directory.CreateTempSubdirectory("caisson-merged-").FullName;
        var merged = System.IO.Path.Combine(scratch, "merged");
        Directory.CreateDirectory(merged);
        // An overlay without an upper directory needs two lower ones; an empty one at the bottom changes nothing.
        var empty = Directory.CreateDirectory(System.IO.Path.Combine(scratch, "empty")).FullName;
        Mounts.Mount("overlay", merged, "overlay", Mounts.MS_RDONLY, $"lowerdir={string.Join(':', layers.Append(empty))}");
        return new MergedSnapshot(merged, scratch);
    }

    public void Dispose()
    {
        if (_scratch is null)
            return;
        Mounts.Unmount(Path, detach: true);
        Directory.Delete(_scratch, recursive: true);
    }
}
