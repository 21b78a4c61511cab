using Caisson.Api.Cri;

namespace Caisson.Cri.Runtime;

/// <summary>CRI runtime.v1 RuntimeService. RPCs not yet implemented answer Unimplemented (the generated default).</summary>
public sealed partial class CriRuntimeService(
    Caisson.Runtime.Node.NodeState node,
    Caisson.Runtime.Sandboxes.SandboxManager sandboxes,
    Caisson.Runtime.Containers.ContainerManager containers)
    : RuntimeService.RuntimeServiceBase
{
    private readonly Caisson.Runtime.Node.NodeState _node = node;
    private readonly Caisson.Runtime.Sandboxes.SandboxManager _sandboxes = sandboxes;
    private readonly Caisson.Runtime.Containers.ContainerManager _containers = containers;

    public const string RuntimeName = "caisson";
    public const string RuntimeApiVersion = "v1";

    /// <summary>The version of the kubelet runtime API this file implements (the CRI of that version).</summary>
    public const string KubeletApiVersion = "0.1.0";

    public static string RuntimeVersion { get; } =
        typeof(CriRuntimeService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
