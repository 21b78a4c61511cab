using Caisson.Images.Unpack;
using Caisson.Linux.FileSystem;

namespace Caisson.Tests.Images.Unpack;

/// <summary>Docker's rules for an entry landing where something already is.</summary>
[Trait("Category", "Privileged")]
public sealed class LayerUnpackerReplacementTests
{
    public static TheoryData<string, WhiteoutMode> Cases()
    {
        var data = new TheoryData<string, WhiteoutMode>();
        foreach (var name in Scenarios.Keys)
        {
            data.Add(name, WhiteoutMode.Overlay);
            data.Add(name, WhiteoutMode.Apply);
        }

        return data;
    }

    private static readonly Dictionary<string, (Func<TarBuilder, TarBuilder> Build, Action<UnpackScratch> Check)> Scenarios = new()
    {
        ["a later file replaces an earlier file"] = (
            t => t.File("a", "one").File("a", "two"),
            s => Assert.Equal("two", File.ReadAllText(s["a"]))),
        ["a directory replaces a file"] = (
            t => t.File("a", "file").Directory("a/").File("a/b", "inside"),
            s => Assert.Equal("inside", File.ReadAllText(s["a/b"]))),
        ["a file replaces a directory tree"] = (
            t => t.Directory("a/").File("a/b", "b").Directory("a/c/").File("a/c/d", "d").Symlink("a/c/l", "/").File("a", "file"),
            s => Assert.Equal("file", File.ReadAllText(s["a"]))),
        ["a symlink replaces a directory tree"] = (
            t => t.Directory("a/").File("a/b", "b").Symlink("a", "target"),
            s => Assert.Equal("target", new FileInfo(s["a"]).LinkTarget)),
        ["a directory over a directory merges and takes the new mode, owner and mtime"] = (
            t => t.Directory("a/", "755").File("a/keep", "kept").Directory("a/", "700", 5, 6, 1_400_000_000),
            s =>
            {
                Assert.Equal("kept", File.ReadAllText(s["a/keep"]));
                var status = FileInspector.Lstat(s["a"]);
                Assert.Equal((TarBuilder.Octal("700"), 5u, 6u, 1_400_000_000L),
                    (status.Permissions, status.Uid, status.Gid, status.ModificationTime.Seconds));
            }),
        ["a file replaces a symlink, not its target"] = (
            t => t.File("target", "original").Symlink("a", "target").File("a", "new"),
            s =>
            {
                Assert.Equal(FileKind.Regular, FileInspector.Lstat(s["a"]).Kind);
                Assert.Equal("new", File.ReadAllText(s["a"]));
                Assert.Equal("original", File.ReadAllText(s["target"]));
            }),
        ["a directory replaces a symlink to a directory, even one already written through"] = (
            t => t.Directory("real/").Symlink("a", "real").File("a/before", "b").Directory("a/").File("a/x", "x"),
            s =>
            {
                Assert.Equal(FileKind.Directory, FileInspector.Lstat(s["a"]).Kind);
                Assert.True(FileInspector.Exists(s["real/before"]));
                Assert.False(FileInspector.Exists(s["real/x"]));
                Assert.Equal("x", File.ReadAllText(s["a/x"]));
            }),
        ["a hard link replaces a file"] = (
            t => t.File("a", "a").File("b", "b").HardLink("b", "a"),
            s => Assert.Equal(FileInspector.Lstat(s["a"]).Inode, FileInspector.Lstat(s["b"]).Inode)),
        ["a FIFO replaces a device"] = (
            t => t.Device("n", '3', 1, 3).Fifo("n"),
            s => Assert.Equal(FileKind.Fifo, FileInspector.Lstat(s["n"]).Kind)),
        ["a file below a symlinked directory lands in the link's target inside the root"] = (
            t => t.Directory("real/").Symlink("l", "/real").Symlink("rel", "../../real").File("l/x", "x").File("rel/y", "y"),
            s =>
            {
                Assert.Equal("x", File.ReadAllText(s["real/x"]));
                Assert.Equal("y", File.ReadAllText(s["real/y"]));
            }),
        ["a hard link to a file reached through a symlinked directory"] = (
            t => t.Directory("real/").File("real/f", "f").Symlink("l", "real").HardLink("g", "l/f"),
            s => Assert.Equal(FileInspector.Lstat(s["real/f"]).Inode, FileInspector.Lstat(s["g"]).Inode)),
        ["a hard link to a symlink links the symlink itself"] = (
            t => t.Symlink("l", "/etc/passwd").HardLink("h", "l"),
            s =>
            {
                Assert.Equal(FileKind.SymbolicLink, FileInspector.Lstat(s["h"]).Kind);
                Assert.Equal(FileInspector.Lstat(s["l"]).Inode, FileInspector.Lstat(s["h"]).Inode);
            }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task LaterEntriesReplaceEarlierOnes(string description, WhiteoutMode mode)
    {
        using var scratch = new UnpackScratch();
        var (build, check) = Scenarios[description];

        await scratch.UnpackAsync(build(new TarBuilder()).Build(), mode);

        check(scratch);
    }

    [Fact]
    public async Task InApplyModeAnUpperLayerReplacesLowerEntries()
    {
        using var scratch = new UnpackScratch();
        await scratch.UnpackAsync(new TarBuilder().File("etc/conf", "lower").Directory("var/").File("var/x", "x").Build(), WhiteoutMode.Apply);

        await scratch.UnpackAsync(new TarBuilder().File("etc/conf", "upper").File("var", "now a file").Build(), WhiteoutMode.Apply);

        Assert.Equal("upper", File.ReadAllText(scratch["etc/conf"]));
        Assert.Equal("now a file", File.ReadAllText(scratch["var"]));
    }
}
