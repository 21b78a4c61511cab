using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Tests.Cli.Fakes;

/// <summary>CRI RuntimeService: Version, and the lists and statuses the container verbs read, from canned state.</summary>
internal sealed class FakeRuntimeService(FakeDaemonState state) : RuntimeService.RuntimeServiceBase
{
    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context) =>
        Task.FromResult(state.Version);

    public override Task<ListContainersResponse> ListContainers(ListContainersRequest request, ServerCallContext context)
    {
        var response = new ListContainersResponse();
        response.Containers.AddRange(state.Containers.Where(c => request.Filter?.State is not { } wanted || c.State == wanted.State));
        return Task.FromResult(response);
    }

    public override Task<ContainerStatusResponse> ContainerStatus(ContainerStatusRequest request, ServerCallContext context) =>
        state.ContainerStatuses.TryGetValue(request.ContainerId, out var status)
            ? Task.FromResult(new ContainerStatusResponse { Status = status })
            : throw new RpcException(new Status(StatusCode.NotFound, $"container \"{request.ContainerId}\" not found"));

    public override Task<ListPodSandboxResponse> ListPodSandbox(ListPodSandboxRequest request, ServerCallContext context)
    {
        var response = new ListPodSandboxResponse();
        response.Items.AddRange(state.Pods);
        return Task.FromResult(response);
    }

    public override Task<PodSandboxStatusResponse> PodSandboxStatus(PodSandboxStatusRequest request, ServerCallContext context) =>
        state.PodStatuses.TryGetValue(request.PodSandboxId, out var status)
            ? Task.FromResult(new PodSandboxStatusResponse { Status = status })
            : throw new RpcException(new Status(StatusCode.NotFound, $"pod sandbox \"{request.PodSandboxId}\" not found"));
}
