using Caisson.Api.V1;
using Grpc.Core;
using SystemService = Caisson.Api.V1.System;

namespace Caisson.Tests.Cli.Fakes;

/// <summary>caisson.v1 System answering from <see cref="FakeDaemonState"/>.</summary>
internal sealed class FakeSystemService(FakeDaemonState state) : SystemService.SystemBase
{
    public override Task<InfoResponse> Info(InfoRequest request, ServerCallContext context) => Task.FromResult(state.Info);
}
