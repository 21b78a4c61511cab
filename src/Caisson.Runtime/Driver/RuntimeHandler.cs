namespace Caisson.Runtime.Driver;

/// <summary>
/// One OCI runtime the daemon can run containers with (a CRI runtime handler): its name, the binary and the
/// state directory (the runtime's --root) it keeps containers in.
/// </summary>
public sealed record RuntimeHandler(string Name, string BinaryPath, string RootDirectory)
{
    public const string DefaultName = "runc";

    /// <summary>runc, the default handler: crun 1.8 refuses this machine's hybrid cgroup layout.</summary>
    public static RuntimeHandler Runc(string stateRoot = "/run/caisson/runc") =>
        new(DefaultName, "/usr/sbin/runc", Path.Combine(stateRoot, DefaultName));

    public static RuntimeHandler Crun(string stateRoot = "/run/caisson/runc") =>
        new("crun", "/usr/bin/crun", Path.Combine(stateRoot, "crun"));
}
