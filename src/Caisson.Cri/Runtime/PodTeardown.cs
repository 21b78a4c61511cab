using Caisson.Runtime.Containers;
using Caisson.Runtime.Sandboxes;

namespace Caisson.Cri.Runtime;

/// <summary>Stopping and removing a pod with its containers: what StopPodSandbox and RemovePodSandbox do, and auto-removal.</summary>
internal static class PodTeardown
{
    /// <summary>Stops the pod's containers (in parallel: each shim winds down in its own time), then the pod. Idempotent.</summary>
    public static async Task StopAsync(SandboxManager sandboxes, ContainerManager containers, string sandboxId, CancellationToken cancellationToken)
    {
        if (sandboxes.Find(sandboxId) is { } sandbox)
        {
            await Task.WhenAll(containers.ListIn(sandbox.Id)
                .Select(c => containers.StopAsync(c.Id, 0, cancellationToken))).ConfigureAwait(false);
        }

        await sandboxes.StopAsync(sandboxId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the pod's containers, then the pod. Idempotent.</summary>
    public static async Task RemoveAsync(SandboxManager sandboxes, ContainerManager containers, string sandboxId, CancellationToken cancellationToken)
    {
        if (sandboxes.Find(sandboxId) is { } sandbox)
        {
            await Task.WhenAll(containers.ListIn(sandbox.Id)
                .Select(c => containers.RemoveAsync(c.Id, cancellationToken))).ConfigureAwait(false);
        }

        await sandboxes.RemoveAsync(sandboxId, cancellationToken).ConfigureAwait(false);
    }
}
