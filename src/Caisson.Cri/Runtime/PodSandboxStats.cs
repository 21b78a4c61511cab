using Caisson.Api.Cri;
using Caisson.Core.Time;
using Caisson.Runtime.Cgroups;
using Caisson.Runtime.Network;
using Caisson.Runtime.Sandboxes;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<PodSandboxStatsResponse> PodSandboxStats(PodSandboxStatsRequest request, ServerCallContext context) =>
        new() { Stats = await PodStatsOfAsync(_sandboxes.Get(request.PodSandboxId), context.CancellationToken).ConfigureAwait(false) };

    /// <summary>
    /// The pod's attributes and each container's stats; for a ready pod also its CPU, memory and process count (see
    /// <see cref="Caisson.Runtime.Containers.ContainerManager.PodCgroupStats"/>) and, unless it uses the host's network,
    /// its interfaces' traffic. A stopped pod has no usage to report: its containers have exited and its network is gone.
    /// </summary>
    private async Task<Api.Cri.PodSandboxStats> PodStatsOfAsync(SandboxRecord sandbox, CancellationToken cancellationToken)
    {
        var config = SandboxManager.ConfigOf(sandbox);
        var attributes = new PodSandboxAttributes { Id = sandbox.Id, Metadata = config.Metadata };
        attributes.Labels.Add(config.Labels);
        attributes.Annotations.Add(config.Annotations);
        var linux = new LinuxPodSandboxStats();
        var stats = new Api.Cri.PodSandboxStats { Attributes = attributes, Linux = linux };

        var running = new List<CgroupStats>();
        foreach (var container in ListedContainers(null, sandbox.Id))
        {
            var cgroup = await _containers.StatsAsync(container, cancellationToken).ConfigureAwait(false);
            if (cgroup is not null)
                running.Add(cgroup);
            linux.Containers.Add(StatsOf(container, cgroup));
        }

        if (sandbox.State != SandboxState.Ready)
            return stats;
        if (_containers.PodCgroupStats(sandbox, running) is { } pod)
        {
            linux.Cpu = CgroupUsage.Cpu(pod);
            linux.Memory = CgroupUsage.Memory(pod);
            linux.Process = new ProcessUsage { Timestamp = UnixTime.Nanoseconds(pod.Timestamp) };
            if (pod.PidsCurrent is { } processes)
                linux.Process.ProcessCount = new UInt64Value { Value = processes };
        }

        if (_sandboxes.NetworkCounters(sandbox) is { } network)
            linux.Network = NetworkUsageOf(network);
        return stats;
    }

    /// <summary>eth0, the interface CNI made and the kubelet reports as the pod's, is the default; the others but loopback follow.</summary>
    private static NetworkUsage NetworkUsageOf(NetworkSnapshot network)
    {
        var usage = new NetworkUsage { Timestamp = UnixTime.Nanoseconds(network.Timestamp) };
        foreach (var device in network.Devices.Where(d => d.Name != "lo"))
        {
            var counters = new NetworkInterfaceUsage
            {
                Name = device.Name,
                RxBytes = new UInt64Value { Value = device.ReceivedBytes },
                RxErrors = new UInt64Value { Value = device.ReceiveErrors },
                TxBytes = new UInt64Value { Value = device.TransmittedBytes },
                TxErrors = new UInt64Value { Value = device.TransmitErrors },
            };
            if (device.Name == PodNetwork.PodInterface)
                usage.DefaultInterface = counters;
            else
                usage.Interfaces.Add(counters);
        }

        return usage;
    }
}
