using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Tests.Daemon.Http2.Support;

/// <summary>Answers Version with the request's version and, as runtime_version, the authority the server saw.</summary>
internal sealed class TestRuntimeService : RuntimeService.RuntimeServiceBase
{
    public const string RuntimeName = "caisson-test";

    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(new VersionResponse
        {
            Version = request.Version,
            RuntimeName = RuntimeName,
            RuntimeVersion = context.Host,
            RuntimeApiVersion = "v1",
        });
}
