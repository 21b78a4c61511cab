using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<RemovePodSandboxResponse> RemovePodSandbox(RemovePodSandboxRequest request, ServerCallContext context)
    {
        await _sandboxes.RemoveAsync(request.PodSandboxId, context.CancellationToken).ConfigureAwait(false);
        return new RemovePodSandboxResponse();
    }
}
