using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Images.Snapshots;
using Caisson.Images.Unpack;

namespace Caisson.Tests.Images.Snapshots;

public sealed class SnapshotterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("caisson-snap-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static Digest D(char c) => Digest.Parse("sha256:" + new string(c, 64));

    public static TheoryData<string> Kinds => new() { "overlayfs", "native" };

    private ISnapshotter Create(string kind) => kind == "overlayfs"
        ? new OverlaySnapshotter(Path.Combine(_root, kind))
        : new NativeSnapshotter(Path.Combine(_root, kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CommitPublishesAndRecordsTheParent(string kind)
    {
        var snapshotter = Create(kind);
        var bottom = snapshotter.Prepare(D('1'), null);
        File.WriteAllText(Path.Combine(bottom.Directory, "a"), "A");
        Assert.False(snapshotter.IsCommitted(D('1')));
        snapshotter.Commit(bottom);
        Assert.True(snapshotter.IsCommitted(D('1')));

        var top = snapshotter.Prepare(D('2'), D('1'));
        Assert.Equal(kind == "overlayfs" ? WhiteoutMode.Overlay : WhiteoutMode.Apply, top.WhiteoutMode);
        File.WriteAllText(Path.Combine(top.Directory, "b"), "B");
        snapshotter.Commit(top);

        Assert.Equal(D('1'), snapshotter.ParentOf(D('2')));
        Assert.Null(snapshotter.ParentOf(D('1')));
        Assert.Equal([D('1'), D('2')], snapshotter.ListCommitted().Order().ToArray());

        var dirs = snapshotter.LayerDirectories(D('2'));
        if (kind == "overlayfs")
        {
            // Topmost first, as overlay's lowerdir wants; each layer holds only its own files.
            Assert.Equal(2, dirs.Count);
            Assert.True(File.Exists(Path.Combine(dirs[0], "b")));
            Assert.False(File.Exists(Path.Combine(dirs[0], "a")));
            Assert.True(File.Exists(Path.Combine(dirs[1], "a")));
        }
        else
        {
            // A native snapshot is the whole tree.
            var dir = Assert.Single(dirs);
            Assert.Equal("A", File.ReadAllText(Path.Combine(dir, "a")));
            Assert.Equal("B", File.ReadAllText(Path.Combine(dir, "b")));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AbortAndRecoverLeaveNothingBehind(string kind)
    {
        var snapshotter = Create(kind);
        var aborted = snapshotter.Prepare(D('1'), null);
        snapshotter.Abort(aborted);
        Assert.False(Directory.Exists(aborted.WorkDirectory));

        // A crash mid-unpack leaves a work directory; recovery removes it and nothing becomes committed.
        var crashed = snapshotter.Prepare(D('2'), null);
        File.WriteAllText(Path.Combine(crashed.Directory, "partial"), "x");
        var reopened = Create(kind);
        Assert.Equal(1, reopened.Recover());
        Assert.False(Directory.Exists(crashed.WorkDirectory));
        Assert.Empty(reopened.ListCommitted());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SecondCommitOfTheSameChainIdIsHarmless(string kind)
    {
        var snapshotter = Create(kind);
        var first = snapshotter.Prepare(D('1'), null);
        var second = snapshotter.Prepare(D('1'), null);
        File.WriteAllText(Path.Combine(first.Directory, "f"), "first");
        File.WriteAllText(Path.Combine(second.Directory, "f"), "second");
        snapshotter.Commit(first);
        snapshotter.Commit(second);
        Assert.Equal("first", File.ReadAllText(Path.Combine(snapshotter.LayerDirectories(D('1'))[0], "f")));
        Assert.False(Directory.Exists(second.WorkDirectory));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RemoveDeletesAndMissingIsNotFound(string kind)
    {
        var snapshotter = Create(kind);
        var layer = snapshotter.Prepare(D('1'), null);
        Directory.CreateDirectory(Path.Combine(layer.Directory, "ro"));
        File.SetUnixFileMode(Path.Combine(layer.Directory, "ro"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        snapshotter.Commit(layer);
        snapshotter.Remove(D('1'));
        Assert.False(snapshotter.IsCommitted(D('1')));
        Assert.Throws<NotFoundException>(() => snapshotter.LayerDirectories(D('1')));
        snapshotter.Remove(D('1'));
    }

    [Fact]
    public void NativePrepareNeedsACommittedParent()
    {
        var snapshotter = Create("native");
        var error = Assert.Throws<FailedPreconditionException>(() => snapshotter.Prepare(D('2'), D('1')));
        Assert.Contains("is not committed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Privileged")]
    public void OverlayProbeMountsOnThisFileSystem()
    {
        Assert.True(SnapshotterFactory.OverlayWorks(_root, out var why), why);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }
}
