using System.Diagnostics;
using Caisson.Core.Errors;
using Caisson.Linux.FileSystem;
using Caisson.Tests.Images.Unpack;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Tests.Linux;

/// <summary>Path resolution inside the root, with openat2 and with the component walk older kernels get.</summary>
[Trait("Category", "Privileged")]
public sealed class RootedFileSystemTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"caisson-rootedfs-{Guid.NewGuid():N}");
    private readonly string root;
    private readonly string outside;

    public RootedFileSystemTests()
    {
        root = Path.Combine(directory, "root");
        outside = Path.Combine(directory, "outside");
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep"), "outside");
    }

    public static TheoryData<bool> Resolutions() => new() { true, false };

    [Theory]
    [MemberData(nameof(Resolutions))]
    public void SymlinksOnTheWayResolveInsideTheRoot(bool useOpenAt2)
    {
        using var fs = RootedFileSystem.Open(root, useOpenAt2);
        fs.CreateDirectory("real");
        fs.CreateSymbolicLink("absolute", "/real");
        fs.CreateSymbolicLink("relative", "../../../real");
        fs.CreateSymbolicLink("chained", "absolute/../relative");
        fs.CreateSymbolicLink("dangling", "/made/on/demand");
        fs.CreateSymbolicLink("escape", outside);

        foreach (var link in new[] { "absolute", "relative", "chained" })
        {
            using var file = fs.CreateFile($"{link}/via-{link}");
        }

        using (fs.CreateFile("dangling/x"))
        using (fs.CreateFile("escape/keep"))
        {
        }

        Assert.Equal(["via-absolute", "via-chained", "via-relative"], fs.ListDirectory("real").Order(StringComparer.Ordinal));
        Assert.True(fs.TryGetStatus("made/on/demand/x", out _));
        Assert.True(fs.TryGetStatus(outside.TrimStart('/') + "/keep", out _));
        Assert.Equal("outside", File.ReadAllText(Path.Combine(outside, "keep")));
        Assert.Equal(FileKind.SymbolicLink, FileInspector.Lstat(Path.Combine(root, "escape")).Kind);
    }

    [Theory]
    [MemberData(nameof(Resolutions))]
    public void SymlinkLoopsAndFilesOnTheWayAreRefused(bool useOpenAt2)
    {
        using var fs = RootedFileSystem.Open(root, useOpenAt2);
        fs.CreateSymbolicLink("a", "b");
        fs.CreateSymbolicLink("b", "a");
        using (fs.CreateFile("file"))
        {
        }

        Assert.Contains("symbolic links", Assert.Throws<InvalidArgumentException>(() => fs.CreateFile("a/x")).Message, StringComparison.Ordinal);
        Assert.Contains("Not a directory", Assert.Throws<InvalidArgumentException>(() => fs.CreateFile("file/x")).Message, StringComparison.Ordinal);
        Assert.False(fs.TryGetStatus("file/x", out _));
        Assert.False(fs.TryGetStatus("missing/x", out _));
    }

    [Theory]
    [MemberData(nameof(Resolutions))]
    public void AReplacedSymlinkIsNotResolvedFromTheCache(bool useOpenAt2)
    {
        using var fs = RootedFileSystem.Open(root, useOpenAt2);
        fs.CreateDirectory("first");
        fs.CreateDirectory("second");
        fs.CreateSymbolicLink("link", "first");
        using (fs.CreateFile("link/a"))
        {
        }

        fs.CreateSymbolicLink("link", "second");
        using (fs.CreateFile("link/b"))
        {
        }

        Assert.Equal(["a"], fs.ListDirectory("first"));
        Assert.Equal(["b"], fs.ListDirectory("second"));
    }

    [Theory]
    [MemberData(nameof(Resolutions))]
    public void MountPointsInsideTheRootAreNotCrossed(bool useOpenAt2)
    {
        var mountPoint = Path.Combine(root, "mnt");
        Directory.CreateDirectory(mountPoint);
        Run("mount", "-t", "tmpfs", "caisson-test", mountPoint);
        try
        {
            using var fs = RootedFileSystem.Open(root, useOpenAt2);
            Assert.ThrowsAny<CaissonException>(() => fs.CreateFile("mnt/x"));
            Assert.Empty(Directory.EnumerateFileSystemEntries(mountPoint));
        }
        finally
        {
            Run("umount", mountPoint);
        }
    }

    [Fact]
    public void RemovingATreeDeeperThanPathMaxAndWiderThanOneListing()
    {
        // Built fd by fd: the path is longer than PATH_MAX.
        var fd = OpenAt(AT_FDCWD, root, O_PATH | O_DIRECTORY, 0);
        for (var i = 0; i < 3000; i++)
        {
            Assert.Equal(0, MkdirAt(fd, "d", 0x1ED));
            var next = OpenAt(fd, "d", O_PATH | O_DIRECTORY, 0);
            Close(fd);
            fd = next;
        }

        Close(fd);
        for (var i = 0; i < 2000; i++)
            File.WriteAllText(Path.Combine(root, "d", $"wide-{i:D4}-{new string('x', 40)}"), "");
        File.CreateSymbolicLink(Path.Combine(root, "d", "d", "to-outside"), outside);

        using var fs = RootedFileSystem.Open(root);
        Assert.True(fs.Remove("d"));

        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        Assert.Equal("outside", File.ReadAllText(Path.Combine(outside, "keep")));
        Assert.False(fs.Remove("d"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PermissionsNeverFollowAFinalSymlink(bool useFChmodAt2)
    {
        using var fs = RootedFileSystem.Open(root, useOpenAt2: true, useFChmodAt2);
        fs.CreateSymbolicLink("link", outside + "/keep");
        fs.CreateNode("fifo", FileKind.Fifo, 0, 0);
        var before = FileInspector.Describe(Path.Combine(outside, "keep"));

        fs.SetPermissions("link", 0xFFF);
        fs.SetPermissions("fifo", 0x9ED); // 04755

        Assert.Equal(before, FileInspector.Describe(Path.Combine(outside, "keep")));
        Assert.Equal(0x9EDu, FileInspector.Lstat(Path.Combine(root, "fifo")).Permissions);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} failed: {process.StandardError.ReadToEnd()}");
    }
}
