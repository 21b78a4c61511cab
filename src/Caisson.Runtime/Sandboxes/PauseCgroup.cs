using Caisson.Runtime.Cgroups;

namespace Caisson.Runtime.Sandboxes;

/// <summary>
/// The pause process's cgroup, <c>PARENT/SANDBOX-ID</c> under the pod's cgroup parent as containerd places a sandbox,
/// so the pod's cgroup accounts for it and a restart of caissond's own cgroup does not reach it. v1 cpuset is left
/// out: a new cpuset cgroup is empty until its cpus and mems are copied down, and the pause needs no CPU placement.
/// </summary>
internal static class PauseCgroup
{
    public const string DefaultParent = "/caisson";

    /// <summary>The cgroup parent the pod asked for, else caisson's own (containers go there too).</summary>
    public static string ParentOf(Caisson.Api.Cri.PodSandboxConfig config) =>
        string.IsNullOrEmpty(config.Linux?.CgroupParent) ? DefaultParent : config.Linux.CgroupParent;

    public static string PathFor(Caisson.Api.Cri.PodSandboxConfig config, string sandboxId) =>
        $"{ParentOf(config).TrimEnd('/')}/{sandboxId}";

    /// <summary>Creates the cgroup in every hierarchy (but cpuset) and moves <paramref name="pid"/> into it.</summary>
    public static void Join(string cgroupsPath, int pid)
    {
        foreach (var directory in Directories(cgroupsPath))
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "cgroup.procs"), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Removes the cgroup once its pause has died; a directory already gone is fine. A dead pause may count as a
    /// member until it is reaped (by init, which on some machines does so only every few seconds), so a busy
    /// cgroup is retried for a while before the failure is reported (StopPodSandbox is retried by the kubelet).
    /// </summary>
    public static void Remove(string cgroupsPath)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        foreach (var directory in Directories(cgroupsPath))
        {
            while (Directory.Exists(directory))
            {
                try
                {
                    Directory.Delete(directory);
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(20);
                }
                catch (IOException e)
                {
                    throw new Core.Errors.CaissonException(Core.Errors.ErrorKind.Unavailable, $"removing the pause's cgroup {directory}: {e.Message}", e);
                }
            }
        }
    }

    private static IEnumerable<string> Directories(string cgroupsPath)
    {
        var paths = CgroupPaths.For(cgroupsPath);
        var cpuset = paths.Version == CgroupVersion.V1 ? paths.Directory("cpuset") : null;
        return paths.Directories.Where(d => d != cpuset);
    }
}
