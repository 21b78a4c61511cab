using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    /// <summary>Stopping a sandbox that is already stopped, or gone, succeeds: kubelet retries freely.</summary>
    public override async Task<StopPodSandboxResponse> StopPodSandbox(StopPodSandboxRequest request, ServerCallContext context)
    {
        await PodTeardown.StopAsync(_sandboxes, _containers, request.PodSandboxId, context.CancellationToken).ConfigureAwait(false);
        return new StopPodSandboxResponse();
    }
}
