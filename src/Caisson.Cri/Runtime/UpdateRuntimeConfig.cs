using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override Task<UpdateRuntimeConfigResponse> UpdateRuntimeConfig(UpdateRuntimeConfigRequest request, ServerCallContext context)
    {
        if (request.RuntimeConfig?.NetworkConfig is { } network)
            _node.SetPodCidr(network.PodCidr);
        return Task.FromResult(new UpdateRuntimeConfigResponse());
    }
}
