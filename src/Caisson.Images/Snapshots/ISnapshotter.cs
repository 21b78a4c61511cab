using Caisson.Core.Digests;
using Caisson.Images.Unpack;

namespace Caisson.Images.Snapshots;

/// <summary>
/// Stores unpacked layer stacks keyed by chain id. A committed snapshot appears by an atomic rename, so a crash
/// leaves either a whole snapshot or an in-progress directory that <see cref="Recover"/> removes.
/// </summary>
public interface ISnapshotter
{
    /// <summary>overlayfs or native.</summary>
    string Name { get; }

    /// <summary>Whether layers can be unpacked independently (overlay) or each needs its parent first (native).</summary>
    bool UnpacksIndependently { get; }

    bool IsCommitted(Digest chainId);

    /// <summary>A fresh directory to unpack the layer into, with the whiteout form it expects.</summary>
    PreparedLayer Prepare(Digest chainId, Digest? parentChainId);

    /// <summary>Publishes a prepared layer under its chain id; a concurrent commit of the same id wins harmlessly.</summary>
    void Commit(PreparedLayer layer);

    void Abort(PreparedLayer layer);

    /// <summary>The directories that make up a committed stack, topmost first (overlay lowerdir order).</summary>
    IReadOnlyList<string> LayerDirectories(Digest chainId);

    void Remove(Digest chainId);

    IReadOnlyList<Digest> ListCommitted();

    /// <summary>The parent chain id recorded with a committed snapshot.</summary>
    Digest? ParentOf(Digest chainId);

    /// <summary>Removes in-progress directories a crash left behind; returns how many.</summary>
    int Recover();

    /// <summary>The directory holding all snapshots (for file system usage).</summary>
    string Root { get; }
}

/// <summary>A layer being unpacked: where to write, and how whiteouts are to be represented.</summary>
public sealed record PreparedLayer(Digest ChainId, Digest? ParentChainId, string WorkDirectory, string Directory, WhiteoutMode WhiteoutMode);
