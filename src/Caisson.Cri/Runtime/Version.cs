using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(new VersionResponse
        {
            Version = KubeletApiVersion,
            RuntimeName = RuntimeName,
            RuntimeVersion = RuntimeVersion,
            RuntimeApiVersion = RuntimeApiVersion,
        });
}
