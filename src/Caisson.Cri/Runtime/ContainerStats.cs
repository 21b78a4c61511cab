using Caisson.Api.Cri;
using Caisson.Cri.Images;
using Caisson.Runtime.Containers;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<ContainerStatsResponse> ContainerStats(ContainerStatsRequest request, ServerCallContext context) =>
        new() { Stats = await StatsOfAsync(_containers.Get(request.ContainerId), context.CancellationToken).ConfigureAwait(false) };

    /// <summary>CPU and memory from the container's cgroup (absent when it is not running), writable layer usage from its upperdir.</summary>
    private async Task<Api.Cri.ContainerStats> StatsOfAsync(ContainerRecord record, CancellationToken cancellationToken)
    {
        var config = ContainerConfig.Parser.ParseFrom(record.Config);
        var stats = new Api.Cri.ContainerStats
        {
            Attributes = new ContainerAttributes { Id = record.Id, Metadata = config.Metadata },
        };
        stats.Attributes.Labels.Add(config.Labels);
        stats.Attributes.Annotations.Add(config.Annotations);

        var upper = Path.Combine(record.WritableLayer, "upper");
        var layer = FileSystemUsage.Measure(upper);
        stats.WritableLayer = new FilesystemUsage
        {
            Timestamp = layer.Timestamp.ToUnixTimeMilliseconds() * 1_000_000,
            FsId = new FilesystemIdentifier { Mountpoint = upper },
            UsedBytes = new UInt64Value { Value = (ulong)layer.UsedBytes },
            InodesUsed = new UInt64Value { Value = (ulong)layer.InodesUsed },
        };

        if (await _containers.StatsAsync(record, cancellationToken).ConfigureAwait(false) is not { } cgroup)
            return stats;
        var timestamp = cgroup.Timestamp.ToUnixTimeMilliseconds() * 1_000_000;
        stats.Cpu = new CpuUsage { Timestamp = timestamp };
        if (cgroup.CpuUsageNanoseconds is { } cpu)
            stats.Cpu.UsageCoreNanoSeconds = new UInt64Value { Value = cpu };
        stats.Memory = new MemoryUsage { Timestamp = timestamp };
        if (cgroup.MemoryWorkingSetBytes is { } workingSet)
            stats.Memory.WorkingSetBytes = new UInt64Value { Value = workingSet };
        if (cgroup.MemoryUsageBytes is { } usage)
            stats.Memory.UsageBytes = new UInt64Value { Value = usage };
        if (cgroup.MemoryRssBytes is { } rss)
            stats.Memory.RssBytes = new UInt64Value { Value = rss };
        if (cgroup.PageFaults is { } faults)
            stats.Memory.PageFaults = new UInt64Value { Value = faults };
        if (cgroup.MajorPageFaults is { } major)
            stats.Memory.MajorPageFaults = new UInt64Value { Value = major };
        return stats;
    }
}
