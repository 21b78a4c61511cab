using System.Diagnostics;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Images.Unpack;
using Caisson.Linux.Processes;

namespace Caisson.Images.Snapshots;

/// <summary>
/// For file systems without overlayfs: each snapshot is a full copy of its parent with the layer applied
/// (whiteouts delete). Costs disk and time; layers unpack in order.
/// </summary>
public sealed class NativeSnapshotter(string root) : ISnapshotter
{
    private readonly SnapshotDirectory _directory = new(root);

    public string Name => "native";

    public bool UnpacksIndependently => false;

    public string Root => _directory.Root;

    public bool IsCommitted(Digest chainId) => _directory.IsCommitted(chainId);

    public PreparedLayer Prepare(Digest chainId, Digest? parentChainId)
    {
        var (work, fs) = _directory.NewWorkDirectory(chainId, parentChainId);
        if (parentChainId is { } parent)
        {
            if (!_directory.IsCommitted(parent))
            {
                SnapshotDirectory.Delete(work);
                throw new FailedPreconditionException($"parent snapshot {parent} of {chainId} is not committed");
            }

            CopyTree(_directory.FsOf(parent), fs);
        }

        return new PreparedLayer(chainId, parentChainId, work, fs, WhiteoutMode.Apply);
    }

    // cp -a keeps owners, modes, times, xattrs, hardlinks, devices and symlinks exactly; reflinks where the fs can.
    private static void CopyTree(string source, string destination)
    {
        var start = new ProcessStartInfo("cp") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-a", "--reflink=auto", "--", source + "/.", destination })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new CaissonException(ErrorKind.Internal, "could not start cp");
        using var streams = new StandardStreams(process);
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new CaissonException(ErrorKind.Internal, $"copying snapshot {source} failed: {error.Trim()}");
    }

    public void Commit(PreparedLayer layer) => _directory.Commit(layer);

    public void Abort(PreparedLayer layer) => SnapshotDirectory.Delete(layer.WorkDirectory);

    public IReadOnlyList<string> LayerDirectories(Digest chainId) =>
        _directory.IsCommitted(chainId) ? [_directory.FsOf(chainId)] : throw new NotFoundException($"snapshot {chainId} not found");

    public void Remove(Digest chainId) => _directory.Remove(chainId);

    public IReadOnlyList<Digest> ListCommitted() => _directory.ListCommitted();

    public Digest? ParentOf(Digest chainId) => _directory.ParentOf(chainId);

    public int Recover() => _directory.Recover();
}
