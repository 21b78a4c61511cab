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

    public ulong? PageFaults { get; init; }

    public ulong? MajorPageFaults { get; init; }

    /// <summary>Processes the OOM killer killed in this cgroup.</summary>
    public ulong? OomKills { get; init; }

    public ulong? PidsCurrent { get; init; }
}
