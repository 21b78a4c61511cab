using System.Globalization;
using Caisson.Core.Errors;
using Caisson.Runtime.Oci;

namespace Caisson.Runtime.Cgroups;

/// <summary>
/// Applies new resource limits to a live cgroup (UpdateContainerResources) by writing the interface files
/// directly, as runc's cgroupfs manager does. Unset fields (null) are left as they are.
/// </summary>
internal static class CgroupWriter
{
    public static void Update(CgroupPaths cgroup, OciResources resources)
    {
        cgroup.EnsureExists();
        if (cgroup.Version == CgroupVersion.V2)
            CgroupWriterV2.Update(cgroup, resources);
        else
            UpdateV1(cgroup, resources);
    }

    private static void UpdateV1(CgroupPaths cgroup, OciResources resources)
    {
        if (resources.Cpu is { } cpu)
        {
            SetCpuset(cgroup, cpu);
            var directory = cgroup.Directory("cpu");
            if (cpu.Shares is { } shares)
                CgroupFiles.Write(directory, "cpu.shares", Number(shares));
            // The period first: a quota is checked against the period in force.
            if (cpu.Period is { } period)
                CgroupFiles.Write(directory, "cpu.cfs_period_us", Number(period));
            if (cpu.Quota is { } quota)
                CgroupFiles.Write(directory, "cpu.cfs_quota_us", quota > 0 ? Number(quota) : "-1");
        }

        if (resources.Memory is { } memory)
            SetMemoryV1(cgroup.Directory("memory"), memory);
        if (resources.Pids is { } pids)
            CgroupFiles.Write(cgroup.Directory("pids"), "pids.max", PidsMax(pids));
    }

    /// <summary>
    /// memory.memsw.limit_in_bytes (memory + swap) may never be below memory.limit_in_bytes, so when the limit
    /// grows the swap limit must move first, and when it shrinks, last.
    /// </summary>
    private static void SetMemoryV1(string? directory, OciMemory memory)
    {
        var limit = memory.Limit is { } l ? (l > 0 ? Number(l) : "-1") : null;
        var swap = memory.Swap is { } s ? (s > 0 ? Number(s) : "-1") : null;
        if (swap is not null && !File.Exists(Path.Join(directory, "memory.memsw.limit_in_bytes")))
            throw new FailedPreconditionException("cannot set a swap limit: swap accounting (memory.memsw) is disabled on this host");

        var current = CgroupFiles.TryReadNumber(directory, "memory.limit_in_bytes");
        var growing = memory.Limit is not { } wanted || wanted <= 0 || current is not { } now || (ulong)wanted > now;
        if (swap is not null && growing)
            CgroupFiles.Write(directory, "memory.memsw.limit_in_bytes", swap);
        if (limit is not null)
            CgroupFiles.Write(directory, "memory.limit_in_bytes", limit);
        if (swap is not null && !growing)
            CgroupFiles.Write(directory, "memory.memsw.limit_in_bytes", swap);
    }

    internal static void SetCpuset(CgroupPaths cgroup, OciCpu cpu)
    {
        if (cpu.Cpus is { } cpus)
            CgroupFiles.Write(cgroup.Directory("cpuset"), "cpuset.cpus", cpus);
        if (cpu.Mems is { } mems)
            CgroupFiles.Write(cgroup.Directory("cpuset"), "cpuset.mems", mems);
    }

    /// <summary>OCI: a positive limit, or zero/negative for no limit.</summary>
    internal static string PidsMax(OciPids pids) => pids.Limit > 0 ? Number(pids.Limit) : "max";

    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
