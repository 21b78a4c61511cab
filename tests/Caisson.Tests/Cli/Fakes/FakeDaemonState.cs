using Caisson.Api.Cri;
using Caisson.Api.V1;
using Grpc.Core;

namespace Caisson.Tests.Cli.Fakes;

/// <summary>Canned answers the fake daemon gives, and what it saw the CLI send.</summary>
internal sealed class FakeDaemonState
{
    public List<ImageSummary> Images { get; } = [];

    public string? LastListFilter { get; set; }

    /// <summary>Inspect answers by reference; any other reference is NotFound.</summary>
    public Dictionary<string, InspectResponse> Inspections { get; } = [];

    /// <summary>Remove answers by reference; any other reference is NotFound.</summary>
    public Dictionary<string, RemoveResponse> Removals { get; } = [];

    public List<RemoveRequest> RemoveRequests { get; } = [];

    public List<TagRequest> TagRequests { get; } = [];

    public PullRequest? LastPull { get; set; }

    public List<PullProgress> PullMessages { get; } = [];

    /// <summary>After sending <see cref="PullMessages"/>, wait until the client cancels instead of ending.</summary>
    public bool PullWaitsForCancel { get; set; }

    public TaskCompletionSource PullMessagesSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource PullCanceled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MemoryStream LoadedBytes { get; } = new();

    public List<int> LoadChunkSizes { get; } = [];

    public LoadResponse LoadResponse { get; set; } = new();

    /// <summary>When set, Load fails with this status once the first chunk arrived.</summary>
    public Status? LoadFailure { get; set; }

    public List<string> SavedReferences { get; } = [];

    public List<byte[]> SaveChunks { get; } = [];

    /// <summary>When set, Save fails with this status after streaming <see cref="SaveChunks"/>.</summary>
    public Status? SaveFailure { get; set; }

    public InfoResponse Info { get; set; } = new();

    public VersionResponse Version { get; set; } = new();

    /// <summary>What ListContainers answers (the filter's state is applied); ContainerStatus answers from <see cref="ContainerStatuses"/>.</summary>
    public List<Container> Containers { get; } = [];

    public Dictionary<string, ContainerStatus> ContainerStatuses { get; } = [];

    /// <summary>What ListPodSandbox answers; PodSandboxStatus answers from <see cref="PodStatuses"/>.</summary>
    public List<PodSandbox> Pods { get; } = [];

    public Dictionary<string, PodSandboxStatus> PodStatuses { get; } = [];
}
