using System.Text.Json.Serialization;

namespace Caisson.Runtime.Sandboxes;

/// <summary>Where a sandbox stands. Creating is recorded before any side effect, so a crash there is rolled back.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SandboxState>))]
public enum SandboxState
{
    Creating,
    Ready,
    NotReady,
}

/// <summary>A pod sandbox as persisted in &lt;state&gt;/sandboxes/&lt;id&gt;.json (written atomically on every change).</summary>
public sealed record SandboxRecord
{
    public required string Id { get; init; }

    /// <summary>name_namespace_uid_attempt: the key a retried RunPodSandbox is recognized by.</summary>
    public required string Key { get; init; }

    public required string Name { get; init; }

    public required string Namespace { get; init; }

    public required string Uid { get; init; }

    public uint Attempt { get; init; }

    public required string RuntimeHandler { get; init; }

    public long CreatedAtNanoseconds { get; init; }

    public SandboxState State { get; init; }

    /// <summary>The pinned network namespace, or null for host networking.</summary>
    public string? NetworkNamespacePath { get; init; }

    /// <summary>The pinned IPC namespace the pod's containers share (IPC POD), or null for the host's.</summary>
    public string? IpcNamespacePath { get; init; }

    /// <summary>The pinned UTS namespace that holds the pod's hostname, or null for the host's (host network).</summary>
    public string? UtsNamespacePath { get; init; }

    /// <summary>The pinned PID namespace the pause process keeps alive (PID POD), or null.</summary>
    public string? PidNamespacePath { get; init; }

    /// <summary>The pause process's cgroup (cgroupfs path, PARENT/ID), or null when the pod has no pause.</summary>
    public string? PauseCgroupsPath { get; init; }

    /// <summary>The pod's /dev/shm tmpfs (IPC POD), or null when its containers use the host's /dev/shm.</summary>
    public string? ShmPath { get; init; }

    public IReadOnlyList<string> Ips { get; init; } = [];

    /// <summary>The CRI PodSandboxConfig as protobuf bytes, to answer status and verbose info exactly.</summary>
    public required byte[] Config { get; init; }

    public required string Directory { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(SandboxRecord))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext;
