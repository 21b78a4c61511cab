using Caisson.Api.Cri;
using Caisson.Core.Time;
using Caisson.Cri.Images;
using Caisson.Runtime.Cgroups;
using Caisson.Runtime.Containers;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<ContainerStatsResponse> ContainerStats(ContainerStatsRequest request, ServerCallContext context) =>
        new() { Stats = await StatsOfAsync(_containers.Get(request.ContainerId), context.CancellationToken).ConfigureAwait(false) };

    private async Task<Api.Cri.ContainerStats> StatsOfAsync(ContainerRecord record, CancellationToken cancellationToken) =>
        StatsOf(record, await _containers.StatsAsync(record, cancellationToken).ConfigureAwait(false));

    /// <summary>CPU and memory from the container's cgroup (absent when it is not running), writable layer usage from its upperdir.</summary>
    private static Api.Cri.ContainerStats StatsOf(ContainerRecord record, CgroupStats? cgroup)
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
            Timestamp = UnixTime.Nanoseconds(layer.Timestamp),
            FsId = new FilesystemIdentifier { Mountpoint = upper },
            UsedBytes = new UInt64Value { Value = (ulong)layer.UsedBytes },
            InodesUsed = new UInt64Value { Value = (ulong)layer.InodesUsed },
        };

        if (cgroup is not null)
        {
            stats.Cpu = CgroupUsage.Cpu(cgroup);
            stats.Memory = CgroupUsage.Memory(cgroup);
        }

        return stats;
    }
}
