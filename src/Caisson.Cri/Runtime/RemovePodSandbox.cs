using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<RemovePodSandboxResponse> RemovePodSandbox(RemovePodSandboxRequest request, ServerCallContext context)
    {
        if (_sandboxes.Find(request.PodSandboxId) is { } sandbox)
        {
            foreach (var container in _containers.List().Where(c => c.SandboxId == sandbox.Id))
                await _containers.RemoveAsync(container.Id, context.CancellationToken).ConfigureAwait(false);
        }

        await _sandboxes.RemoveAsync(request.PodSandboxId, context.CancellationToken).ConfigureAwait(false);
        return new RemovePodSandboxResponse();
    }
}
