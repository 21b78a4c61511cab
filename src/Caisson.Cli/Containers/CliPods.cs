using Caisson.Api.Cri;
using Caisson.Api.V1;

namespace Caisson.Cli.Containers;

/// <summary>
/// The pods `caisson run` creates, one per container: they go when their container goes (rm, run --rm), along
/// with the log directory made for them. Pods anyone else created are never touched.
/// </summary>
internal static class CliPods
{
    /// <summary>Removes a container, then its pod when `caisson run` created it and nothing else is left in it.</summary>
    public static async Task RemoveContainerAsync(DaemonConnection daemon, string containerId, string podId, CancellationToken cancellationToken)
    {
        await daemon.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = containerId }, cancellationToken: cancellationToken);
        await RemoveIfEmptyAsync(daemon, podId, cancellationToken);
    }

    /// <summary>Removes the pod (stopping it) and its log directory when it is one of ours and holds no container.</summary>
    public static async Task<bool> RemoveIfEmptyAsync(DaemonConnection daemon, string podId, CancellationToken cancellationToken)
    {
        var pod = await DaemonObjects.UnlessNotFoundAsync(async () => (await daemon.Runtime.PodSandboxStatusAsync(
            new PodSandboxStatusRequest { PodSandboxId = podId }, cancellationToken: cancellationToken)).Status);
        if (pod is null || !CliLabels.IsCreatedByRun(pod.Labels))
            return false;
        var left = await daemon.Runtime.ListContainersAsync(
            new ListContainersRequest { Filter = new ContainerFilter { PodSandboxId = pod.Id } }, cancellationToken: cancellationToken);
        if (left.Containers.Count > 0)
            return false;
        await RemovePodAsync(daemon, pod.Id, pod.Metadata, cancellationToken);
        return true;
    }

    /// <summary>Stops and removes the pod with everything in it, and deletes its log directory.</summary>
    public static async Task RemovePodAsync(DaemonConnection daemon, string podId, PodSandboxMetadata metadata, CancellationToken cancellationToken)
    {
        await daemon.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = podId }, cancellationToken: cancellationToken);
        await daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = podId }, cancellationToken: cancellationToken);
        var info = await daemon.System.InfoAsync(new InfoRequest(), cancellationToken: cancellationToken);
        var logDirectory = RunConfigs.LogDirectory(info.Root, metadata);
        if (Directory.Exists(logDirectory))
            Directory.Delete(logDirectory, recursive: true);
    }
}
