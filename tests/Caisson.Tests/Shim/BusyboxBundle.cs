using System.Text.Json;

namespace Caisson.Tests.Shim;

/// <summary>
/// An OCI bundle whose rootfs is Debian's static busybox: just enough of a container for runc. No
/// oom_score_adj (root here cannot lower it, and runc would fail with "can't get final child's PID from pipe").
/// </summary>
internal static class BusyboxBundle
{
    private static readonly string[] Applets = ["sh", "echo", "sleep", "cat", "head", "tr"];

    public static void Write(string bundle, IReadOnlyList<string> args, bool pidNamespace = true)
    {
        var bin = Path.Combine(bundle, "rootfs", "bin");
        Directory.CreateDirectory(bin);
        foreach (var directory in new[] { "proc", "dev", "tmp" })
            Directory.CreateDirectory(Path.Combine(bundle, "rootfs", directory));
        File.Copy("/bin/busybox", Path.Combine(bin, "busybox"));
        foreach (var applet in Applets)
            File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");

        var namespaces = new List<object> { new { type = "ipc" }, new { type = "uts" }, new { type = "mount" } };
        if (pidNamespace)
            namespaces.Add(new { type = "pid" });
        var config = new
        {
            ociVersion = "1.0.2",
            process = new
            {
                terminal = false,
                user = new { uid = 0, gid = 0 },
                args,
                env = new[] { "PATH=/bin" },
                cwd = "/",
            },
            root = new { path = "rootfs", @readonly = false },
            hostname = "shim-test",
            mounts = new object[]
            {
                new { destination = "/proc", type = "proc", source = "proc" },
                new { destination = "/dev", type = "tmpfs", source = "tmpfs", options = new[] { "nosuid", "mode=755", "size=65536k" } },
            },
            linux = new { namespaces },
        };
        File.WriteAllText(Path.Combine(bundle, "config.json"), JsonSerializer.Serialize(config));
    }
}
