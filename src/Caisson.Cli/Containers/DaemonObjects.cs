using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Cli.Containers;

/// <summary>Finds containers and pods on the daemon by the references people type (see <see cref="ReferenceMatcher"/>).</summary>
internal static class DaemonObjects
{
    public static async Task<IReadOnlyList<Container>> ListContainersAsync(
        RuntimeService.RuntimeServiceClient runtime, CancellationToken cancellationToken, bool runningOnly = false)
    {
        var request = new ListContainersRequest();
        if (runningOnly)
            request.Filter = new ContainerFilter { State = new ContainerStateValue { State = ContainerState.ContainerRunning } };
        return (await runtime.ListContainersAsync(request, cancellationToken: cancellationToken)).Containers;
    }

    public static async Task<IReadOnlyList<PodSandbox>> ListPodsAsync(RuntimeService.RuntimeServiceClient runtime, CancellationToken cancellationToken) =>
        (await runtime.ListPodSandboxAsync(new ListPodSandboxRequest(), cancellationToken: cancellationToken)).Items;

    public static Container? FindContainer(IReadOnlyList<Container> containers, string reference) =>
        ReferenceMatcher.Find(containers, reference, c => c.Id, NameOf, "container");

    public static PodSandbox? FindPod(IReadOnlyList<PodSandbox> pods, string reference) =>
        ReferenceMatcher.Find(pods, reference, p => p.Id, p => p.Metadata?.Name ?? "", "pod");

    public static async Task<Container> GetContainerAsync(
        RuntimeService.RuntimeServiceClient runtime, string reference, CancellationToken cancellationToken) =>
        ReferenceMatcher.Get(await ListContainersAsync(runtime, cancellationToken), reference, c => c.Id, NameOf, "container");

    /// <summary>The call's answer, or null when the daemon says what it asked about is not there (or gone meanwhile).</summary>
    public static async Task<T?> UnlessNotFoundAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public static string NameOf(Container container) => container.Metadata?.Name ?? "";

    /// <summary>The status, with the runtime's verbose info when asked (containerd-shaped JSON under "info", with the OCI spec).</summary>
    public static async Task<ContainerStatusResponse> StatusResponseAsync(
        RuntimeService.RuntimeServiceClient runtime, string containerId, bool verbose, CancellationToken cancellationToken) =>
        await runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = containerId, Verbose = verbose }, cancellationToken: cancellationToken);

    public static async Task<ContainerStatus> StatusAsync(
        RuntimeService.RuntimeServiceClient runtime, string containerId, CancellationToken cancellationToken) =>
        (await StatusResponseAsync(runtime, containerId, verbose: false, cancellationToken)).Status;
}
