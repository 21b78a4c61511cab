using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Tests.Cli.Fakes;

/// <summary>CRI RuntimeService with only Version, which `caisson version` calls.</summary>
internal sealed class FakeRuntimeService(FakeDaemonState state) : RuntimeService.RuntimeServiceBase
{
    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(state.Version);
}
