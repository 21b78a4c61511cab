using Caisson.Api.Cri;
using Caisson.Core.Time;
using Caisson.Runtime.Cgroups;

namespace Caisson.Cri.Runtime;

/// <summary>A cgroup snapshot in the CRI's terms, for container and pod sandbox stats alike.</summary>
internal static class CgroupUsage
{
    public static CpuUsage Cpu(CgroupStats cgroup)
    {
        var cpu = new CpuUsage { Timestamp = UnixTime.Nanoseconds(cgroup.Timestamp) };
        if (cgroup.CpuUsageNanoseconds is { } usage)
            cpu.UsageCoreNanoSeconds = new UInt64Value { Value = usage };
        return cpu;
    }

    public static MemoryUsage Memory(CgroupStats cgroup)
    {
        var memory = new MemoryUsage { Timestamp = UnixTime.Nanoseconds(cgroup.Timestamp) };
        if (cgroup.MemoryWorkingSetBytes is { } workingSet)
            memory.WorkingSetBytes = new UInt64Value { Value = workingSet };
        if (cgroup.MemoryUsageBytes is { } usage)
            memory.UsageBytes = new UInt64Value { Value = usage };
        // What the kubelet's eviction reads: the limit less the working set, only where there is a limit.
        if (cgroup.MemoryLimitBytes is { } limit && cgroup.MemoryWorkingSetBytes is { } used)
            memory.AvailableBytes = new UInt64Value { Value = limit > used ? limit - used : 0 };
        if (cgroup.MemoryRssBytes is { } rss)
            memory.RssBytes = new UInt64Value { Value = rss };
        if (cgroup.PageFaults is { } faults)
            memory.PageFaults = new UInt64Value { Value = faults };
        if (cgroup.MajorPageFaults is { } major)
            memory.MajorPageFaults = new UInt64Value { Value = major };
        return memory;
    }
}
