using Caisson.Images.Unpack;
using Caisson.Linux.FileSystem;

namespace Caisson.Tests.Images.Unpack;

/// <summary>Whiteouts and opaque directories in both modes.</summary>
[Trait("Category", "Privileged")]
public sealed class LayerUnpackerWhiteoutTests
{
    [Fact]
    public async Task OverlayWhiteoutsBecomeZeroZeroCharacterDevices()
    {
        using var scratch = new UnpackScratch();
        var tar = new TarBuilder()
            .File("d/gone", "this layer first adds it")
            .Header(new TarHeader { Name = "d/.wh.gone"u8.ToArray(), Uid = 7, Gid = 9 })
            .Header(new TarHeader { Name = "other/.wh.never-existed"u8.ToArray() })
            .Build();

        var result = await scratch.UnpackAsync(tar);

        foreach (var path in new[] { "d/gone", "other/never-existed" })
        {
            var status = FileInspector.Lstat(scratch[path]);
            Assert.Equal((FileKind.CharacterDevice, 0u, 0u, 0u), (status.Kind, status.DeviceMajor, status.DeviceMinor, status.Permissions));
        }

        Assert.Equal((7u, 9u), (FileInspector.Lstat(scratch["d/gone"]).Uid, FileInspector.Lstat(scratch["d/gone"]).Gid));
        Assert.False(FileInspector.Exists(scratch["d/.wh.gone"]));
        Assert.Equal(3, result.EntryCount);
    }

    [Fact]
    public async Task OverlayOpaqueMarkerSetsTheXattrOnItsDirectory()
    {
        using var scratch = new UnpackScratch();
        var tar = new TarBuilder()
            .Directory("opaque/", "750", mtime: 1_400_000_000)
            .File("opaque/.wh..wh..opq", "")
            .File("opaque/kept", "k")
            .File("implicit/.wh..wh..opq", "")
            .Build();

        await scratch.UnpackAsync(tar);

        Assert.Equal("y"u8.ToArray(), FileInspector.GetXattr(scratch["opaque"], "trusted.overlay.opaque"));
        Assert.Equal("y"u8.ToArray(), FileInspector.GetXattr(scratch["implicit"], "trusted.overlay.opaque"));
        Assert.False(FileInspector.Exists(scratch["opaque/.wh..wh..opq"]));
        Assert.Equal("k", File.ReadAllText(scratch["opaque/kept"]));
        Assert.Equal(1_400_000_000, FileInspector.Lstat(scratch["opaque"]).ModificationTime.Seconds);
    }

    [Fact]
    public async Task ApplyWhiteoutsDeleteTheirTargetsRecursively()
    {
        using var scratch = new UnpackScratch();
        await scratch.UnpackAsync(new TarBuilder()
            .File("d/a", "a").Directory("d/b/").File("d/b/c", "c").Directory("d/b/deeper/").File("d/b/deeper/x", "x")
            .Symlink("d/b/link", "/").File("e", "e").File("d/stays", "s").Directory("real/").File("real/x", "x")
            .Symlink("l", "/real")
            .Build(), WhiteoutMode.Apply);

        await scratch.UnpackAsync(new TarBuilder()
            .File("d/.wh.a", "").File("d/.wh.b", "").File(".wh.e", "").File("d/.wh.never-existed", "")
            .File("missing-dir/.wh.x", "").File("l/.wh.x", "")
            .Build(), WhiteoutMode.Apply);

        Assert.Equal(["d", "l", "real"], Directory.EnumerateFileSystemEntries(scratch.Root).Select(Path.GetFileName).Order());
        Assert.Equal(["stays"], Directory.EnumerateFileSystemEntries(scratch["d"]).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch["real"]));
    }

    [Theory]
    [InlineData("marker before this layer's files")]
    [InlineData("marker after this layer's files")]
    public async Task ApplyOpaqueRemovesOnlyWhatLowerLayersPutThere(string order)
    {
        using var scratch = new UnpackScratch();
        await scratch.UnpackAsync(new TarBuilder()
            .Directory("d/").File("d/old", "old").Directory("d/sub/").File("d/sub/old", "old").Directory("d/gone/")
            .File("d/gone/x", "x").File("d/replaced", "lower").File("outside", "untouched")
            .Build(), WhiteoutMode.Apply);

        var upper = new TarBuilder();
        if (order.Contains("before", StringComparison.Ordinal))
            upper.File("d/.wh..wh..opq", "");
        upper.Directory("d/").File("d/new", "new").Directory("d/sub/").File("d/sub/new", "new").File("d/replaced", "upper")
            .Directory("d/implicit-parent/child/");
        if (order.Contains("after", StringComparison.Ordinal))
            upper.File("d/.wh..wh..opq", "");
        await scratch.UnpackAsync(upper.Build(), WhiteoutMode.Apply);

        var remaining = Directory.EnumerateFileSystemEntries(scratch["d"], "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(scratch["d"], p)).Order(StringComparer.Ordinal);
        Assert.Equal(["implicit-parent", "implicit-parent/child", "new", "replaced", "sub", "sub/new"], remaining);
        Assert.Equal("upper", File.ReadAllText(scratch["d/replaced"]));
        Assert.Equal("untouched", File.ReadAllText(scratch["outside"]));
        Assert.Null(FileInspector.GetXattr(scratch["d"], "trusted.overlay.opaque"));
    }
}
