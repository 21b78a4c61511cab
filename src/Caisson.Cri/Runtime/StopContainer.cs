using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<StopContainerResponse> StopContainer(StopContainerRequest request, ServerCallContext context)
    {
        await _containers.StopAsync(request.ContainerId, request.Timeout, context.CancellationToken).ConfigureAwait(false);
        return new StopContainerResponse();
    }
}
