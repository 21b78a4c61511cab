namespace Caisson.Runtime.Cgroups;

/// <summary>
/// A snapshot of one cgroup's usage, for CRI ContainerStats/PodSandboxStats. A null field means the host
/// does not report it (controller not mounted, file absent on this kernel).
/// </summary>
internal sealed record CgroupStats
{
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Cumulative CPU time in nanoseconds.</summary>
    public ulong? CpuUsageNanoseconds { get; init; }

    public ulong? MemoryUsageBytes { get; init; }

    /// <summary>Usage minus inactive file pages, as the kubelet computes it for eviction.</summary>
    public ulong? MemoryWorkingSetBytes { get; init; }

    public ulong? MemoryRssBytes { get; init; }

    /// <summary>The cgroup's memory limit; null when it has none (v2 "max", v1's page-counter maximum).</summary>
    public ulong? MemoryLimitBytes { get; init; }

    public ulong? PageFaults { get; init; }

    public ulong? MajorPageFaults { get; init; }

    /// <summary>Processes the OOM killer killed in this cgroup.</summary>
    public ulong? OomKills { get; init; }

    public ulong? PidsCurrent { get; init; }

    /// <summary>The total of several cgroups' usage (a pod without a cgroup of its own); null when there are none.</summary>
    public static CgroupStats? Sum(IReadOnlyCollection<CgroupStats> parts) => parts.Count == 0 ? null : new CgroupStats
    {
        Timestamp = parts.Max(p => p.Timestamp),
        CpuUsageNanoseconds = Total(parts, p => p.CpuUsageNanoseconds),
        MemoryUsageBytes = Total(parts, p => p.MemoryUsageBytes),
        MemoryWorkingSetBytes = Total(parts, p => p.MemoryWorkingSetBytes),
        MemoryRssBytes = Total(parts, p => p.MemoryRssBytes),
        PageFaults = Total(parts, p => p.PageFaults),
        MajorPageFaults = Total(parts, p => p.MajorPageFaults),
        OomKills = Total(parts, p => p.OomKills),
        PidsCurrent = Total(parts, p => p.PidsCurrent),
        // Containers' limits do not add up to a pod's: a pod without a cgroup of its own has none.
        MemoryLimitBytes = null,
    };

    // A field no part reports stays unreported rather than becoming zero.
    private static ulong? Total(IReadOnlyCollection<CgroupStats> parts, Func<CgroupStats, ulong?> field) =>
        parts.Select(field).OfType<ulong>().Aggregate((ulong?)null, (sum, value) => (sum ?? 0) + value);
}
