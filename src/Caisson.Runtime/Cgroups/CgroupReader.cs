namespace Caisson.Runtime.Cgroups;

/// <summary>Reads a cgroup's usage the way the kubelet's cAdvisor does, from v1 or v2 interface files.</summary>
internal sealed class CgroupReader(TimeProvider time)
{
    public CgroupStats Read(CgroupPaths cgroup)
    {
        cgroup.EnsureExists();
        var timestamp = time.GetUtcNow();
        var stats = cgroup.Version == CgroupVersion.V2 ? ReadV2(cgroup, timestamp) : ReadV1(cgroup, timestamp);
        // Files read as absent when the cgroup vanished mid-read; say NotFound rather than report an empty snapshot.
        cgroup.EnsureExists();
        return stats;
    }

    private static CgroupStats ReadV1(CgroupPaths cgroup, DateTimeOffset timestamp)
    {
        var memory = cgroup.Directory("memory");
        var usage = CgroupFiles.TryReadNumber(memory, "memory.usage_in_bytes");
        var stat = CgroupFiles.TryReadKeyed(memory, "memory.stat");
        return new CgroupStats
        {
            Timestamp = timestamp,
            CpuUsageNanoseconds = CgroupFiles.TryReadNumber(cgroup.Directory("cpuacct"), "cpuacct.usage"),
            MemoryUsageBytes = usage,
            MemoryWorkingSetBytes = WorkingSet(usage, stat, "total_inactive_file"),
            MemoryRssBytes = Value(stat, "total_rss"),
            MemoryLimitBytes = Limit(CgroupFiles.TryReadNumber(memory, "memory.limit_in_bytes")),
            PageFaults = Value(stat, "total_pgfault"),
            MajorPageFaults = Value(stat, "total_pgmajfault"),
            // oom_kill appeared in memory.oom_control in Linux 4.13.
            OomKills = Value(CgroupFiles.TryReadKeyed(memory, "memory.oom_control"), "oom_kill"),
            PidsCurrent = CgroupFiles.TryReadNumber(cgroup.Directory("pids"), "pids.current"),
        };
    }

    private static CgroupStats ReadV2(CgroupPaths cgroup, DateTimeOffset timestamp)
    {
        var directory = cgroup.Unified;
        var usage = CgroupFiles.TryReadNumber(directory, "memory.current");
        var stat = CgroupFiles.TryReadKeyed(directory, "memory.stat");
        return new CgroupStats
        {
            Timestamp = timestamp,
            CpuUsageNanoseconds = CpuUsageFromCpuStat(CgroupFiles.TryReadKeyed(directory, "cpu.stat")),
            MemoryUsageBytes = usage,
            MemoryWorkingSetBytes = WorkingSet(usage, stat, "inactive_file"),
            MemoryRssBytes = Value(stat, "anon"),
            MemoryLimitBytes = Limit(CgroupFiles.TryReadNumber(directory, "memory.max")),
            PageFaults = Value(stat, "pgfault"),
            MajorPageFaults = Value(stat, "pgmajfault"),
            OomKills = Value(CgroupFiles.TryReadKeyed(directory, "memory.events"), "oom_kill"),
            PidsCurrent = CgroupFiles.TryReadNumber(directory, "pids.current"),
        };
    }

    /// <summary>v2 cpu.stat reports microseconds; the CRI wants nanoseconds.</summary>
    internal static ulong? CpuUsageFromCpuStat(IReadOnlyDictionary<string, ulong> cpuStat) =>
        cpuStat.TryGetValue("usage_usec", out var micros) ? micros * 1000 : null;

    /// <summary>usage - inactive file pages, floored at zero (inactive_file can briefly exceed usage).</summary>
    internal static ulong? WorkingSet(ulong? usage, IReadOnlyDictionary<string, ulong> memoryStat, string inactiveFileKey)
    {
        if (usage is not { } bytes)
            return null;
        var inactive = memoryStat.GetValueOrDefault(inactiveFileKey);
        return bytes > inactive ? bytes - inactive : 0;
    }

    /// <summary>
    /// A limit as read, or null for none: v2 writes "max" (not a number), v1 its page counter's maximum rounded
    /// down to a page (9223372036854771712 with 4 KiB pages), so anything from 2^62 up means unlimited.
    /// </summary>
    internal static ulong? Limit(ulong? value) => value is { } bytes && bytes < 1UL << 62 ? bytes : null;

    private static ulong? Value(IReadOnlyDictionary<string, ulong> values, string key) =>
        values.TryGetValue(key, out var value) ? value : null;
}
