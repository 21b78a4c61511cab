using Caisson.Images.Content;
using Caisson.Runtime.Cgroups;

namespace Caisson.Runtime.Driver;

/// <summary>
/// crun (1.8) refuses a hybrid cgroup host while any controller sits on the v2 side (here hugetlb, which the host's
/// init left out of the v1 mounts), though it runs fine on the v1 hierarchies alone. On such a host crun is run
/// through a small script, written where an operator finds it, that gives it a mount namespace in which
/// /sys/fs/cgroup/unified is not mounted: crun then sees a plain v1 host. runc needs none of this.
/// </summary>
internal static class HybridCgroupsWrapper
{
    public const string UnifiedMount = "/sys/fs/cgroup/unified";

    public const string UnifiedControllersPath = UnifiedMount + "/cgroup.controllers";

    /// <summary>Whether <paramref name="runtimePath"/> is crun on a hybrid host with controllers on the v2 side.</summary>
    public static bool Needed(string runtimePath, CgroupLayout layout, string unifiedControllers = UnifiedControllersPath) =>
        Path.GetFileName(runtimePath) == "crun" && layout.Version == CgroupVersion.V1 && UnifiedControllers(unifiedControllers).Length > 0;

    /// <summary>The controllers on a hybrid host's v2 mount ("hugetlb"); empty when there are none or no such mount.</summary>
    public static string UnifiedControllers(string path = UnifiedControllersPath)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Writes (atomically) the script that runs <paramref name="runtimePath"/> without the v2 mount; returns its path.</summary>
    public static string Write(string directory, string handler, string runtimePath)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{handler}-v1-cgroups");
        Durability.WriteAtomic(path, Script(runtimePath));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    public static string Script(string runtimePath) => $$"""
        #!/bin/sh
        # Written by caissond. {{runtimePath}} refuses this hybrid cgroup host because cgroup v2 has controllers
        # ({{UnifiedMount}}/cgroup.controllers is not empty); it runs in a mount namespace of its own in which
        # {{UnifiedMount}} is unmounted, so it sees and uses the cgroup v1 hierarchies only. Every other mount keeps
        # its propagation (a Bidirectional volume still reaches the host); /sys/fs/cgroup is made private first, so
        # the unmount stays in this namespace. Mounting the v2 controllers as v1 hierarchies makes this unnecessary.
        exec unshare --mount --propagation unchanged /bin/sh -c 'mount --make-rprivate /sys/fs/cgroup && umount -l {{UnifiedMount}} && exec "$0" "$@"' '{{runtimePath}}' "$@"

        """;
}
