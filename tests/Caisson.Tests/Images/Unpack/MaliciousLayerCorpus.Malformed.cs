using System.Text;
using Caisson.Images.Unpack;
using Caisson.Linux.FileSystem;
using static Caisson.Tests.Images.Unpack.MaliciousLayerCase;

namespace Caisson.Tests.Images.Unpack;

/// <summary>Whiteouts aimed outside, malformed whiteouts, forbidden xattrs and entries the kernel must never see.</summary>
internal static partial class MaliciousLayerCorpus
{
    public static IReadOnlyList<MaliciousLayerCase> All { get; } = [.. Escapes(), .. Whiteouts(), .. Malformed()];

    public static MaliciousLayerCase Named(string description) => All.Single(c => c.Description == description);

    private static IEnumerable<MaliciousLayerCase> Whiteouts() =>
    [
        Contained("whiteout through a symlink to the outside directory", c => new TarBuilder()
                .Symlink("l", c.Absolute).File("l/.wh.victim.txt", "").File("l/.wh.victim-dir", ""),
            (c, mode) => Assert.Equal(mode == WhiteoutMode.Overlay, FileInspector.Exists(c.InRoot(c.Absolute + "/victim.txt")))),
        Contained("whiteout through a symlink to ../..", c => new TarBuilder()
            .Symlink("l", "../../").File("l/.wh.parent-canary.txt", "").File("l/.wh.scratch", "").File("l/.wh.root", "")),
        Contained("whiteout with an absolute and a ../ name", c => new TarBuilder()
            .File(c.Absolute + "/.wh.victim.txt", "").File("../.wh.sibling-canary.txt", "").File("../../.wh.scratch", "")),
        Contained("opaque marker through a symlink to the outside directory", c => new TarBuilder()
                .Symlink("l", c.Absolute).File("l/.wh..wh..opq", ""),
            (c, mode) => Assert.Equal(
                mode == WhiteoutMode.Overlay ? "y"u8.ToArray() : null,
                FileInspector.GetXattr(c.InRoot(c.Absolute), "trusted.overlay.opaque"))),
        Contained("opaque marker through a symlink to ../..", c => new TarBuilder()
            .Symlink("l", "../..").File("l/.wh..wh..opq", "").File("../../.wh..wh..opq", "")),
        Refused("malformed whiteout .wh.", "malformed whiteout", c => new TarBuilder().File("a/.wh.", "")),
        Refused("malformed whiteout .wh..", "malformed whiteout", c => new TarBuilder().File("a/.wh..", "")),
        Refused("malformed whiteout .wh...", "malformed whiteout", c => new TarBuilder().File(".wh...", "")),
        Refused("reserved .wh..wh. prefix", "malformed whiteout", c => new TarBuilder().File("a/.wh..wh.evil", "")),
        Refused("whiteout name used as a directory", "used as a directory", c => new TarBuilder().File(".wh.a/b", "")),
    ];

    private static IEnumerable<MaliciousLayerCase> Malformed() =>
    [
        Contained("overlay xattrs (trusted.overlay.*, user.overlay.*) in PAX records are dropped", c => new TarBuilder()
                .Directory("d/", "755", 0, 0, TarBuilder.DefaultTime,
                    ("trusted.overlay.opaque", "y"u8.ToArray()), ("trusted.overlay.redirect", "/elsewhere"u8.ToArray()),
                    ("user.overlay.opaque", "y"u8.ToArray()), ("user.overlay.redirect", "/elsewhere"u8.ToArray()))
                .File("f", "f", "644", 0, 0, TarBuilder.DefaultTime, ("trusted.overlay.metacopy", []), ("security.selinux", "x"u8.ToArray())),
            (c, _) =>
            {
                Assert.Empty(FileInspector.ListXattrs(c.InRoot("d")));
                Assert.Empty(FileInspector.ListXattrs(c.InRoot("f")));
            }),
        Refused("device major out of range", "out of range", c => new TarBuilder().Device("dev/x", '3', 4096, 0)),
        Refused("device minor out of range", "out of range", c => new TarBuilder().Device("dev/x", '4', 0, 1048576)),
        Refused("device number beyond 32 bits in base-256", "out of range", c => new TarBuilder().Device("dev/x", '3', 1L << 40, 1)),
        Refused("NUL in a PAX path", "NUL", c => new TarBuilder().Pax(("path", "a\0/../../x")).File("ignored", "pwned")),
        Refused("NUL in a PAX linkpath", "NUL", c => new TarBuilder().Pax(("linkpath", "/tmp\0x")).Symlink("l", "ignored")),
        Refused("NUL inside a GNU long name", "NUL", c => new TarBuilder().Gnu('L', "a\0../../" + c.EscapeName)
            .Header(new TarHeader { Name = "x"u8.ToArray() })),
        Refused("name longer than PATH_MAX", "PATH_MAX", c => new TarBuilder().File(string.Join('/', Enumerable.Repeat("abcdefgh", 600)), "x")),
        Refused("name component longer than NAME_MAX", "NAME_MAX", c => new TarBuilder().File("a/" + new string('n', 300), "x")),
        Refused("symlink target longer than PATH_MAX", "File name too long", c => new TarBuilder().Symlink("l", new string('t', 5000))),
        Refused("symlink with an empty target", "empty target", c => new TarBuilder().Symlink("l", "")),
        Contained("deep nesting, deeper still through a symlink, then replaced", c =>
            {
                var deep = string.Join('/', Enumerable.Repeat("d", 1500));
                return new TarBuilder().File(deep + "/f", "deep").Symlink("s", deep).File("s/" + deep + "/g", "deeper")
                    .File("d", "flat");
            },
            (c, _) => Assert.Equal(FileKind.Regular, FileInspector.Lstat(c.InRoot("d")).Kind)),
        Refused("hard link to a missing target", "does not exist", c => new TarBuilder().HardLink("h", "nowhere")),
        Refused("hard link to a directory", "is a directory", c => new TarBuilder().Directory("d/").HardLink("h", "d")),
        Refused("hard link to the root", "layer root", c => new TarBuilder().HardLink("h", "./")),
        Refused("non-directory entry for the root", "layer root", c => new TarBuilder().File("a/..", "pwned")),
        Refused("sparse entry", "sparse", c => new TarBuilder().Header(new TarHeader { Name = "s"u8.ToArray(), Type = 'S' })),
        Refused("PAX GNU.sparse records", "sparse", c => new TarBuilder().Pax(("GNU.sparse.major", "1")).File("s", "x")),
        Refused("unknown entry type", "unsupported tar entry type", c => new TarBuilder().Header(new TarHeader { Name = "v"u8.ToArray(), Type = 'V' })),
        Refused("PAX header declaring 2 GiB (memory bomb)", "too large",
            c => new TarBuilder().Header(new TarHeader { Name = "pax"u8.ToArray(), Type = 'x', Size = int.MaxValue })),
        Refused("negative uid in base-256", "uid", c => new TarBuilder().File("f", "x", "644", -5)),
        Refused("uid 4294967295 (chown's 'unchanged')", "uid", c => new TarBuilder().File("f", "x", "644", uint.MaxValue, 0)),
        Refused("name that is not UTF-8", "UTF-8", c => new TarBuilder().Header(new TarHeader { Name = [0x61, 0xff, 0xfe] })),
        Refused("PAX record with a length running past the header", "malformed PAX",
            c => new TarBuilder().Header(new TarHeader { Name = "x"u8.ToArray(), Type = 'x' }, Encoding.ASCII.GetBytes("99 path=x\n"))
                .File("f", "x")),
    ];
}
