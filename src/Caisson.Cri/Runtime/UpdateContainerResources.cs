using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<UpdateContainerResourcesResponse> UpdateContainerResources(UpdateContainerResourcesRequest request, ServerCallContext context)
    {
        if (request.Linux is null)
            throw new InvalidArgumentException("UpdateContainerResources: linux resources are required");
        await _containers.UpdateResourcesAsync(request.ContainerId, request.Linux, context.CancellationToken).ConfigureAwait(false);
        return new UpdateContainerResourcesResponse();
    }
}
