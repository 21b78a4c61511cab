using Caisson.Core.Errors;
using Caisson.Runtime.Cgroups;
using Caisson.Runtime.Sandboxes;

namespace Caisson.Runtime.Containers;

/// <summary>A pod's CPU, memory and process usage, for CRI PodSandboxStats.</summary>
public sealed partial class ContainerManager
{
    /// <summary>
    /// The pod's usage. When the sandbox names a cgroup_parent that no other sandbox shares, that cgroup is the pod's
    /// own (the kubelet makes one per pod) and is read as a whole, as containerd does: it also counts what containers
    /// that have since exited left charged to it. Otherwise the pod has no cgroup of its own (containers without a
    /// parent all live under the daemon's default, shared by every pod) and the pod's usage is the sum of its running
    /// containers' cgroups, <paramref name="containerStats"/>. Null when neither gives anything.
    /// </summary>
    internal CgroupStats? PodCgroupStats(SandboxRecord sandbox, IReadOnlyCollection<CgroupStats> containerStats)
    {
        if (OwnCgroupParent(sandbox) is { } parent)
        {
            try
            {
                return new CgroupReader(_time).Read(CgroupPaths.For(parent));
            }
            catch (NotFoundException)
            {
                // Not made yet (no container has started) or already removed: the containers are all there is.
            }
        }

        return CgroupStats.Sum(containerStats);
    }

    /// <summary>The sandbox's cgroup_parent when it is set, a cgroupfs path, and no other sandbox's.</summary>
    private string? OwnCgroupParent(SandboxRecord sandbox)
    {
        var parent = CgroupParentOf(sandbox);
        if (parent is null || parent.Contains(':', StringComparison.Ordinal))
            return null;
        var shared = _sandboxes.List().Any(other => other.Id != sandbox.Id && other.State != SandboxState.Creating && CgroupParentOf(other) == parent);
        return shared ? null : parent;
    }

    /// <summary>The parent normalized to "/a/b", or null when the sandbox leaves it to the daemon's default.</summary>
    private static string? CgroupParentOf(SandboxRecord sandbox)
    {
        var parent = SandboxManager.ConfigOf(sandbox).Linux?.CgroupParent;
        if (string.IsNullOrEmpty(parent))
            return null;
        var segments = parent.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 0 ? null : "/" + string.Join('/', segments);
    }
}
