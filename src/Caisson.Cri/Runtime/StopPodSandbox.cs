using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    /// <summary>Stopping a sandbox that is already stopped, or gone, succeeds: kubelet retries freely.</summary>
    public override async Task<StopPodSandboxResponse> StopPodSandbox(StopPodSandboxRequest request, ServerCallContext context)
    {
        if (_sandboxes.Find(request.PodSandboxId) is { } sandbox)
        {
            // In parallel: each container's shim takes its own time to wind down.
            await Task.WhenAll(_containers.List().Where(c => c.SandboxId == sandbox.Id)
                .Select(c => _containers.StopAsync(c.Id, 0, context.CancellationToken))).ConfigureAwait(false);
        }

        await _sandboxes.StopAsync(request.PodSandboxId, context.CancellationToken).ConfigureAwait(false);
        return new StopPodSandboxResponse();
    }
}
