using Caisson.Api.Cri;
using Caisson.Core.Oci;

namespace Caisson.Runtime.Oci;

/// <summary>Where a container gets one kind of namespace: a new one, the host's, or an existing one by path.</summary>
internal sealed record NamespaceSource(string? JoinPath, bool IsHost)
{
    public static NamespaceSource Own { get; } = new(null, false);
    public static NamespaceSource Host { get; } = new(null, true);
    public static NamespaceSource Join(string path) => new(path, false);
}

/// <summary>
/// The sandbox's namespaces a container shares (or its own, when the sandbox has none to share), and the PID
/// namespace of the container a PID TARGET names, once resolved.
/// </summary>
internal sealed record SandboxNamespaces(
    NamespaceSource Network, NamespaceSource Ipc, NamespaceSource Uts, NamespaceSource Pid, NamespaceSource? PidTarget = null);

/// <summary>Files the sandbox prepared for its containers; null ones are not mounted.</summary>
internal sealed record SandboxFiles(string? Hosts, string? ResolvConf, string? Hostname, string? DevShm);

/// <summary>Where the container's cgroup goes (the driver is the CRI's enum, as the kubelet reports it).</summary>
internal sealed record CgroupSettings(string Parent, CgroupDriver Driver, bool UnifiedHierarchy);

/// <summary>Everything <see cref="ContainerSpecBuilder"/> needs to write a container's config.json.</summary>
internal sealed record ContainerSpecInput
{
    public required string ContainerId { get; init; }
    public required ContainerConfig Config { get; init; }
    public required PodSandboxConfig Sandbox { get; init; }
    public required ImageConfig Image { get; init; }
    public required string RootfsPath { get; init; }
    public required SandboxNamespaces Namespaces { get; init; }
    public SandboxFiles Files { get; init; } = new(null, null, null, null);
    public required CgroupSettings Cgroup { get; init; }
    public IReadOnlyList<string> DefaultCapabilities { get; init; } = CapabilitySet.ContainerdDefault;

    /// <summary>The daemon's own oom_score_adj; the container may not ask for less (we cannot lower it).</summary>
    public int OomScoreAdjFloor { get; init; } = OomScoreAdjust.ReadOwn();

    /// <summary>Host file bound at the container's termination message path, when the kubelet did not mount one.</summary>
    public TerminationMessage? TerminationMessage { get; init; }
}

/// <summary>A file on the host bound at the container's termination message path.</summary>
public sealed record TerminationMessage(string HostPath, string ContainerPath);

/// <summary>A config.json and what the caller should log about how the request was adjusted.</summary>
/// <summary>The spec, the user its process runs as (resolved from the image and the request), and what was ignored.</summary>
internal sealed record ContainerSpecResult(OciSpec Spec, ResolvedUser User, IReadOnlyList<string> Warnings);
