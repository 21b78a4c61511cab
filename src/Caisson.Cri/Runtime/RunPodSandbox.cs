using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<RunPodSandboxResponse> RunPodSandbox(RunPodSandboxRequest request, ServerCallContext context)
    {
        if (request.Config is null)
            throw new InvalidArgumentException("RunPodSandbox: config is required");
        var id = await _sandboxes.RunAsync(request.Config, request.RuntimeHandler, context.CancellationToken).ConfigureAwait(false);
        return new RunPodSandboxResponse { PodSandboxId = id };
    }
}
