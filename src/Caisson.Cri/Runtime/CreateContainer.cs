using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<CreateContainerResponse> CreateContainer(CreateContainerRequest request, ServerCallContext context)
    {
        if (request.Config is null)
            throw new InvalidArgumentException("CreateContainer: config is required");
        var id = await _containers.CreateAsync(request.PodSandboxId, request.Config, context.CancellationToken).ConfigureAwait(false);
        return new CreateContainerResponse { ContainerId = id };
    }
}
