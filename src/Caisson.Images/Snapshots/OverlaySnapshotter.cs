using Caisson.Core.Digests;
using Caisson.Images.Unpack;

namespace Caisson.Images.Snapshots;

/// <summary>
/// Each layer unpacked on its own into a directory (overlay whiteouts: 0/0 char devices and the opaque xattr);
/// a stack is mounted as overlayfs with the layer directories as lowerdirs.
/// </summary>
public sealed class OverlaySnapshotter(string root) : ISnapshotter
{
    private readonly SnapshotDirectory _directory = new(root);

    public string Name => "overlayfs";

    public bool UnpacksIndependently => true;

    public string Root => _directory.Root;

    public bool IsCommitted(Digest chainId) => _directory.IsCommitted(chainId);

    public PreparedLayer Prepare(Digest chainId, Digest? parentChainId)
    {
        var (work, fs) = _directory.NewWorkDirectory(chainId, parentChainId);
        return new PreparedLayer(chainId, parentChainId, work, fs, WhiteoutMode.Overlay);
    }

    public void Commit(PreparedLayer layer) => _directory.Commit(layer);

    public void Abort(PreparedLayer layer) => SnapshotDirectory.Delete(layer.WorkDirectory);

    public IReadOnlyList<string> LayerDirectories(Digest chainId)
    {
        var result = new List<string>();
        Digest? current = chainId;
        while (current is { } id)
        {
            if (!_directory.IsCommitted(id))
                throw new Core.Errors.NotFoundException($"snapshot {id} not found");
            result.Add(_directory.FsOf(id));
            current = _directory.ParentOf(id);
            if (result.Count > 1000)
                throw new Core.Errors.FailedPreconditionException($"snapshot {chainId} has a parent cycle or over 1000 layers");
        }

        return result;
    }

    public void Remove(Digest chainId) => _directory.Remove(chainId);

    public IReadOnlyList<Digest> ListCommitted() => _directory.ListCommitted();

    public Digest? ParentOf(Digest chainId) => _directory.ParentOf(chainId);

    public int Recover() => _directory.Recover();
}
