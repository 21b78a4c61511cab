using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<RemovePodSandboxResponse> RemovePodSandbox(RemovePodSandboxRequest request, ServerCallContext context)
    {
        if (_sandboxes.Find(request.PodSandboxId) is { } sandbox)
        {
            // In parallel: each container's shim takes its own time to wind down.
            await Task.WhenAll(_containers.List().Where(c => c.SandboxId == sandbox.Id)
                .Select(c => _containers.RemoveAsync(c.Id, context.CancellationToken))).ConfigureAwait(false);
        }

        await _sandboxes.RemoveAsync(request.PodSandboxId, context.CancellationToken).ConfigureAwait(false);
        return new RemovePodSandboxResponse();
    }
}
