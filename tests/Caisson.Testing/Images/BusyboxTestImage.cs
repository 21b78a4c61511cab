using Caisson.Core.Errors;

namespace Caisson.Testing.Images;

/// <summary>A minimal Linux userland: the host's static busybox, its common applets, users and groups.</summary>
internal static class BusyboxTestImage
{
    public const string HostBusybox = "/bin/busybox";

    public static readonly IReadOnlyList<string> Applets =
    [
        "sh", "ls", "cat", "echo", "sleep", "true", "false", "id", "env", "hostname", "ip", "wget", "nc", "head",
        "tail", "mkdir", "touch", "rm", "grep", "ps", "kill", "top", "printf", "test", "date", "whoami", "mount", "umount",
    ];

    private static readonly string Passwd =
        "root:x:0:0:root:/root:/bin/sh\n" +
        $"{TestImages.TesterUser}:x:{TestImages.TesterUid}:{TestImages.TesterGid}:tester:/home/tester:/bin/sh\n" +
        "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";

    private static readonly string Group =
        "root:x:0:\n" +
        $"{TestImages.TesterGroup}:x:{TestImages.TesterGid}:\n" +
        $"{TestImages.SupplementaryGroup}:x:{TestImages.SupplementaryGid}:{TestImages.TesterUser}\n" +
        "nogroup:x:65534:\n";

    public static BuiltImage Build(ImageFormat format, LayerCompressionKind compression)
    {
        var busybox = new FileInfo(HostBusybox);
        if (!busybox.Exists)
        {
            throw new FailedPreconditionException(
                $"{HostBusybox} is missing: the test images need Debian's static busybox (apt-get install busybox-static)");
        }

        return new ImageBuilder()
            .WithMediaTypes(format)
            .WithConfig(c => c with
            {
                Cmd = ["/bin/sh"],
                Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            })
            .AddLayer(compression, layer =>
            {
                layer.Directory("/bin").File("/bin/busybox", busybox, UnixMode.Executable);
                foreach (var applet in Applets)
                    layer.Symlink("/bin/" + applet, "busybox");
                layer.Directory("/dev")
                    .Directory("/etc")
                    .TextFile("/etc/passwd", Passwd)
                    .TextFile("/etc/group", Group)
                    .Directory("/home")
                    .Directory("/home/tester", uid: TestImages.TesterUid, gid: TestImages.TesterGid)
                    .Directory("/proc", UnixMode.Octal(0555))
                    .Directory("/root", UnixMode.Octal(0700))
                    .Directory("/sys", UnixMode.Octal(0555))
                    .Directory("/tmp", UnixMode.Octal(1777))
                    .Directory("/var");
            }, "busybox from the host")
            .Build();
    }
}
