using Caisson.Core.Digests;
using Caisson.Linux.Interop;
using Caisson.Testing.Daemon;

namespace Caisson.Tests.Cri;

/// <summary>A read-only overlay mount of an image's layer snapshots, to look at the merged tree as a container would.</summary>
internal sealed class OverlayView : IAsyncDisposable
{
    private readonly string _scratch;

    private OverlayView(string scratch) => _scratch = scratch;

    public string Path => System.IO.Path.Combine(_scratch, "merged");

    public static Task<OverlayView> MountAsync(DaemonFixture daemon, IReadOnlyList<Digest> chainIds)
    {
        var scratch = Directory.CreateTempSubdirectory("caisson-overlay-view-").FullName;
        foreach (var sub in new[] { "upper", "work", "merged" })
            Directory.CreateDirectory(System.IO.Path.Combine(scratch, sub));
        var lower = string.Join(':', chainIds.Reverse().Select(c => ImageServicePullTests.SnapshotFs(daemon, c)));
        Mounts.Mount("overlay", System.IO.Path.Combine(scratch, "merged"), "overlay", Mounts.MS_RDONLY,
            $"lowerdir={lower},upperdir={scratch}/upper,workdir={scratch}/work");
        return Task.FromResult(new OverlayView(scratch));
    }

    public ValueTask DisposeAsync()
    {
        Mounts.Unmount(Path, detach: true);
        Directory.Delete(_scratch, recursive: true);
        return ValueTask.CompletedTask;
    }
}
