using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    /// <summary>Removing a container that is not there succeeds; a running one is killed first.</summary>
    public override async Task<RemoveContainerResponse> RemoveContainer(RemoveContainerRequest request, ServerCallContext context)
    {
        await _containers.RemoveAsync(request.ContainerId, context.CancellationToken).ConfigureAwait(false);
        return new RemoveContainerResponse();
    }
}
