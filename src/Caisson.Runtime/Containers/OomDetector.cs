using Caisson.Core.Errors;
using Caisson.Runtime.Cgroups;

namespace Caisson.Runtime.Containers;

/// <summary>
/// Where a container's cgroup counts OOM kills: the <c>oom_kill</c> line of memory.events (v2) or of
/// memory.oom_control (v1, kernel 4.13 and later). The shim reads it when the container is created and when
/// it exits, before the cgroup can be deleted, and reports an OOM kill when the count grew.
/// </summary>
internal static class OomDetector
{
    public static string? EventsFile(string cgroupsPath) => EventsFile(CgroupLayout.Host, cgroupsPath);

    /// <summary>The file to watch, or null when the path is empty or the host has no memory controller.</summary>
    public static string? EventsFile(CgroupLayout layout, string cgroupsPath)
    {
        if (cgroupsPath.Length == 0)
            return null;
        CgroupPaths paths;
        try
        {
            paths = CgroupPaths.For(layout, cgroupsPath);
        }
        catch (InvalidArgumentException)
        {
            return null; // a systemd-style path: not ours to resolve
        }

        if (paths.Version == CgroupVersion.V2)
            return Path.Join(paths.Unified, "memory.events");
        return paths.Directory("memory") is { } memory ? Path.Join(memory, "memory.oom_control") : null;
    }
}
