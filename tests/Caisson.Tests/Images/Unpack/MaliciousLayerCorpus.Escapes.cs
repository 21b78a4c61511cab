using Caisson.Images.Unpack;
using Caisson.Linux.FileSystem;
using static Caisson.Tests.Images.Unpack.MaliciousLayerCase;

namespace Caisson.Tests.Images.Unpack;

/// <summary>Layers that try to reach outside the root through names, symlinks and hard links.</summary>
internal static partial class MaliciousLayerCorpus
{
    private static readonly (string, byte[])[] PwnedXattr = [("user.pwned", "1"u8.ToArray())];

    private static IEnumerable<MaliciousLayerCase> Escapes() =>
    [
        Contained("absolute file name", c => new TarBuilder().File(c.Absolute + "/victim.txt", "pwned"),
            (c, _) => Assert.Equal("pwned", File.ReadAllText(c.InRoot(c.Absolute + "/victim.txt")))),
        Contained("absolute directory name with new mode and owner", c => new TarBuilder()
                .Directory(c.Absolute + "/victim-dir/", "777", 666, 666, 0).File(c.Absolute + "/victim-dir/file", "pwned"),
            (c, _) => Assert.Equal(666u, FileInspector.Lstat(c.InRoot(c.Absolute + "/victim-dir")).Uid)),
        Contained("../ escape to a sibling", c => new TarBuilder().File("../sibling-canary.txt", "pwned"),
            (c, _) => Assert.Equal("pwned", File.ReadAllText(c.InRoot("sibling-canary.txt")))),
        Contained("many ../ to reach /", c => new TarBuilder().File(string.Concat(Enumerable.Repeat("../", 20)) + c.EscapeName, "pwned"),
            (c, _) => Assert.True(FileInspector.Exists(c.InRoot(c.EscapeName)))),
        Contained("a/../../x escape to the parent", c => new TarBuilder().File("a/../../parent-canary.txt", "pwned"),
            (c, _) => Assert.Equal("pwned", File.ReadAllText(c.InRoot("parent-canary.txt")))),
        Contained("../ after a real directory", c => new TarBuilder().Directory("a/").File("a/../../../" + c.EscapeName, "pwned")),
        Contained("ustar prefix field holding ../", c => new TarBuilder().Header(new TarHeader
            {
                Prefix = "../../.."u8.ToArray(), Name = System.Text.Encoding.UTF8.GetBytes(c.EscapeName),
            }, "pwned"u8),
            (c, _) => Assert.True(FileInspector.Exists(c.InRoot(c.EscapeName)))),
        Contained("symlink to / then a file through it", c => new TarBuilder()
                .Symlink("l", "/").File("l" + c.Absolute + "/victim.txt", "pwned"),
            (c, _) => Assert.Equal("pwned", File.ReadAllText(c.InRoot(c.Absolute + "/victim.txt")))),
        Contained("symlink to ../.. then files through it", c => new TarBuilder()
            .Symlink("l", "../..").File("l/parent-canary.txt", "pwned").File("l/scratch/sibling-canary.txt", "pwned")
            .File("l/" + c.EscapeName, "pwned")),
        Contained("symlink to / then a directory through it", c => new TarBuilder()
            .Symlink("l", "/").Directory("l" + c.Absolute + "/victim-dir/", "777", 666, 666, 0)),
        Contained("symlink to / then a hard link created through it", c => new TarBuilder()
                .Symlink("l", "/").File("f", "pwned").HardLink("l" + c.Absolute + "/victim.txt", "f"),
            (c, _) => Assert.Equal("pwned", File.ReadAllText(c.InRoot(c.Absolute + "/victim.txt")))),
        Contained("symlink to / then a device and a FIFO through it", c => new TarBuilder()
            .Symlink("l", "/").Device("l" + c.Absolute + "/victim.txt", '3', 1, 3).Fifo("l" + c.Absolute + "/victim-dir")),
        Contained("symlink to the outside directory then a file with xattrs below it", c => new TarBuilder()
                .Symlink("l", c.Absolute).File("l/victim.txt", "pwned", "4777", 666, 666, 0, PwnedXattr),
            (c, _) => Assert.Equal("1"u8.ToArray(), FileInspector.GetXattr(c.InRoot(c.Absolute + "/victim.txt"), "user.pwned"))),
        Contained("directory entry over a symlink to an outside directory (chmod, chown, utime, xattr)", c => new TarBuilder()
                .Symlink("l", c.Absolute + "/victim-dir").Directory("l/", "777", 666, 666, 0, PwnedXattr),
            (c, _) => Assert.Equal(FileKind.Directory, FileInspector.Lstat(c.InRoot("l")).Kind)),
        Contained("device entry over a symlink to an outside file", c => new TarBuilder()
            .Symlink("l", "../sibling-canary.txt").Device("l", '3', 1, 3, "777", 666, 666)),
        Contained("symlink entry owner and mtime apply to the link, not its outside target", c => new TarBuilder()
                .Symlink("l", c.Absolute + "/victim.txt", 666, 666, 0).Symlink("m", "../sibling-canary.txt", 666, 666, 0),
            (c, _) => Assert.Equal(666u, FileInspector.Lstat(c.InRoot("l")).Uid)),
        Contained("chained symlinks a -> b -> ../../", c => new TarBuilder()
            .Symlink("b", "../../").Symlink("a", "b").File("a/parent-canary.txt", "pwned")
            .File("a/scratch/sibling-canary.txt", "pwned").Directory("a/parent-dir/", "777")),
        Contained("chained absolute and relative symlinks", c => new TarBuilder()
                .Symlink("x", "/y").Symlink("y", "../../../z").Symlink("z", "/").File("x" + c.Absolute + "/victim.txt", "pwned"),
            (c, _) => Assert.Equal("pwned", File.ReadAllText(c.InRoot(c.Absolute + "/victim.txt")))),
        Contained("directory replaced by a symlink, then files below it", c => new TarBuilder()
            .Directory("d/").File("d/f", "f").Symlink("d", "../../").File("d/parent-canary.txt", "pwned")
            .Directory("d/parent-dir/", "777").File("d/parent-dir/file", "pwned")),
        Contained("symlink pointing out, then a regular file of the same name", c => new TarBuilder()
                .Symlink("l", c.Absolute + "/victim.txt").File("l", "pwned", "777", 666, 666, 0),
            (c, _) => Assert.Equal(FileKind.Regular, FileInspector.Lstat(c.InRoot("l")).Kind)),
        Contained("symlink pointing out, then a hard link of the same name", c => new TarBuilder()
            .Symlink("l", "../sibling-canary.txt").File("f", "pwned").HardLink("l", "f")),
        Contained("hard link to a symlink pointing out, then writing to the link", c => new TarBuilder()
                .Symlink("s", c.Absolute + "/victim.txt").HardLink("h", "s").File("h", "pwned")
                .Symlink("t", c.Absolute).HardLink("u", "t").File("u/victim.txt", "pwned"),
            (c, _) => Assert.Equal("pwned", File.ReadAllText(c.InRoot("h")))),
        Contained("symlink into /proc/self/root then a file through it", c => new TarBuilder()
            .Symlink("p", "/proc/self/root").File("p" + c.Absolute + "/victim.txt", "pwned")
            .Symlink("q", "/proc/self/cwd").File("q/" + c.EscapeName, "pwned")),
        Contained("backslashes are ordinary characters", c => new TarBuilder().File("..\\..\\" + c.EscapeName, "pwned"),
            (c, _) => Assert.True(FileInspector.Exists(c.InRoot("..\\..\\" + c.EscapeName)))),
        Contained("directory entry named ../ is the root and is ignored", c => new TarBuilder().Directory("../", "777", 666, 666)
            .Directory("../../", "777", 666, 666)),
        Refused("hard link to an absolute path outside", "does not exist",
            c => new TarBuilder().HardLink("h", c.Absolute + "/victim.txt")),
        Refused("hard link to ../ outside", "does not exist", c => new TarBuilder().HardLink("h", "../sibling-canary.txt")),
        Refused("hard link whose target is reached through a symlink pointing out", "does not exist",
            c => new TarBuilder().Symlink("l", "/").HardLink("h", "l" + c.Absolute + "/victim.txt")),
        Refused("GNU long link naming an outside hard link target", "does not exist",
            c => new TarBuilder().Gnu('K', "../../parent-canary.txt").Header(new TarHeader { Name = "h"u8.ToArray(), Type = '1' })),
        Refused("symlink loop then a file through it", "Too many levels of symbolic links",
            c => new TarBuilder().Symlink("a", "b").Symlink("b", "a").File("a/x", "pwned")),
        Refused("a file where a parent directory should be", "Not a directory",
            c => new TarBuilder().File("f", "f").File("f/x", "pwned")),
    ];
}
