using static Caisson.Testing.Images.ExpectedEntry;

namespace Caisson.Testing.Images;

/// <summary>
/// Three layers that exercise what an unpacker gets wrong: whiteouts, opaque directories, hard links within and
/// across layers, and entries that change kind. The rule for applying a layer: an entry replaces whatever is at
/// its path (a directory with everything under it), except that a directory over a directory only updates the
/// directory's metadata; ".wh.NAME" deletes NAME; ".wh..wh..opq" empties its directory of what lower layers put
/// there; a hard link shares the inode its target has at that moment. The merged tree, in words:
/// <code>
/// /etc/keep.txt          "keep v2", 0600 (rewritten in layer 2)
/// /etc/removed.txt       "back in layer 3" (whited out in layer 2, written again in layer 3)
/// /etc/keep-link         absent (a symlink whited out in layer 3)
/// /etc/app/              0700 (mode changed in layer 2), keeps a.conf from layer 1, gains b.conf
/// /var/cache/            opaque in layer 2: only new.bin; old.bin and sub/ from layer 1 are gone
/// /data/original         "replaced in layer 3"; /data/link-to-original (linked in layer 2 to the layer 1
///                        file) keeps "original content": replacing a path does not write through its links
/// /bin/tool              a symlink to tool2 (a file in layer 1); /bin/tool-link keeps the layer 1 content
/// /bin/tool2, /bin/tool2-link  one inode (file in layer 2, link in layer 3)
/// /usr/bin/app, /usr/bin/app-alias  one inode (both in layer 1)
/// /gone/                 whited out in layer 2, made again in layer 3: only fresh.txt, no inner.txt
/// /opt/plugin            a directory with p.so in layer 1, a file in layer 3
/// /opt/was-file/         a file in layer 1, a directory with child in layer 3
/// /home/tester/          0750 owned 1000:1000, notes.txt 0600 owned 1000:1000
/// </code>
/// </summary>
internal static class MultiLayerTestImage
{
    private const string ToolV1 = "#!/bin/sh\necho tool v1\n";
    private const string Tool2 = "#!/bin/sh\necho tool2\n";

    public static BuiltImage Build(ImageFormat format, LayerCompressionKind compression) =>
        new ImageBuilder()
            .WithMediaTypes(format)
            .WithConfig(c => c with { Cmd = ["/bin/tool2"] })
            .AddLayer(compression, Base, "base")
            .AddLayer(compression, Changes, "whiteouts, opaque directory, cross-layer hard link")
            .AddLayer(compression, Replacements, "replacements and re-creations")
            .Build();

    private static void Base(LayerBuilder layer) => layer
        .Directory("/etc")
        .TextFile("/etc/keep.txt", "keep v1\n")
        .TextFile("/etc/removed.txt", "removed in layer 2\n")
        .Symlink("/etc/keep-link", "keep.txt")
        .Directory("/etc/app")
        .TextFile("/etc/app/a.conf", "a=1\n")
        .Directory("/var")
        .Directory("/var/cache")
        .TextFile("/var/cache/old.bin", "old cache\n")
        .Directory("/var/cache/sub", UnixMode.Octal(0700))
        .TextFile("/var/cache/sub/deep.txt", "deep\n")
        .Directory("/data")
        .TextFile("/data/original", "original content\n")
        .Directory("/bin")
        .TextFile("/bin/tool", ToolV1, UnixMode.Executable)
        .Hardlink("/bin/tool-link", "/bin/tool")
        .Directory("/usr")
        .Directory("/usr/bin")
        .TextFile("/usr/bin/app", "app\n", UnixMode.Executable)
        .Hardlink("/usr/bin/app-alias", "/usr/bin/app")
        .Directory("/gone")
        .TextFile("/gone/inner.txt", "inner\n")
        .Directory("/opt")
        .Directory("/opt/plugin")
        .TextFile("/opt/plugin/p.so", "plugin\n")
        .TextFile("/opt/was-file", "a file in layer 1\n")
        .Directory("/home")
        .Directory("/home/tester", UnixMode.Octal(0750), uid: 1000, gid: 1000)
        .TextFile("/home/tester/notes.txt", "owned by tester\n", UnixMode.Octal(0600), uid: 1000, gid: 1000);

    private static void Changes(LayerBuilder layer) => layer
        .Whiteout("/etc/removed.txt")
        .TextFile("/etc/keep.txt", "keep v2\n", UnixMode.Octal(0600))
        .Directory("/etc/app", UnixMode.Octal(0700))
        .TextFile("/etc/app/b.conf", "b=2\n")
        .OpaqueDirectory("/var/cache")
        .TextFile("/var/cache/new.bin", "new cache\n")
        .Hardlink("/data/link-to-original", "/data/original")
        .Whiteout("/gone")
        .TextFile("/bin/tool2", Tool2, UnixMode.Executable);

    private static void Replacements(LayerBuilder layer) => layer
        .TextFile("/data/original", "replaced in layer 3\n")
        .TextFile("/etc/removed.txt", "back in layer 3\n")
        .Whiteout("/etc/keep-link")
        .Directory("/gone")
        .TextFile("/gone/fresh.txt", "fresh\n")
        .Hardlink("/bin/tool2-link", "/bin/tool2")
        .Symlink("/bin/tool", "tool2")
        .TextFile("/opt/plugin", "now a file\n")
        .Directory("/opt/was-file")
        .TextFile("/opt/was-file/child", "child\n");

    public static ExpectedTree Expected { get; } = new()
    {
        Entries =
        [
            Directory("/etc"),
            File("/etc/keep.txt", "keep v2\n", 0600),
            File("/etc/removed.txt", "back in layer 3\n"),
            Directory("/etc/app", 0700),
            File("/etc/app/a.conf", "a=1\n"),
            File("/etc/app/b.conf", "b=2\n"),
            Directory("/var"),
            Directory("/var/cache"),
            File("/var/cache/new.bin", "new cache\n"),
            Directory("/data"),
            File("/data/original", "replaced in layer 3\n"),
            File("/data/link-to-original", "original content\n"),
            Directory("/bin"),
            Symlink("/bin/tool", "tool2"),
            File("/bin/tool-link", ToolV1, 0755),
            File("/bin/tool2", Tool2, 0755),
            File("/bin/tool2-link", Tool2, 0755),
            Directory("/usr"),
            Directory("/usr/bin"),
            File("/usr/bin/app", "app\n", 0755),
            File("/usr/bin/app-alias", "app\n", 0755),
            Directory("/gone"),
            File("/gone/fresh.txt", "fresh\n"),
            Directory("/opt"),
            File("/opt/plugin", "now a file\n"),
            Directory("/opt/was-file"),
            File("/opt/was-file/child", "child\n"),
            Directory("/home"),
            Directory("/home/tester", 0750, uid: 1000, gid: 1000),
            File("/home/tester/notes.txt", "owned by tester\n", 0600, uid: 1000, gid: 1000),
        ],
        Absent =
        [
            "/etc/keep-link", "/etc/.wh.removed.txt", "/etc/.wh.keep-link",
            "/var/cache/old.bin", "/var/cache/sub", "/var/cache/sub/deep.txt", "/var/cache/.wh..wh..opq",
            "/gone/inner.txt", "/.wh.gone", "/opt/plugin/p.so",
        ],
        HardlinkGroups =
        [
            ["/bin/tool2", "/bin/tool2-link"],
            ["/usr/bin/app", "/usr/bin/app-alias"],
        ],
    };
}
