using System.Text.Json.Serialization;

namespace Caisson.Runtime.Containers;

/// <summary>Where a container stands; Creating is recorded before any side effect so a crash there is rolled back.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContainerState>))]
public enum ContainerState
{
    Creating,
    Created,
    Running,
    Exited,
}

/// <summary>A container as persisted in &lt;state&gt;/containers/records/&lt;id&gt;.json.</summary>
public sealed record ContainerRecord
{
    public required string Id { get; init; }

    public required string SandboxId { get; init; }

    /// <summary>name_sandbox_attempt: a retried CreateContainer is recognized by it.</summary>
    public required string Key { get; init; }

    public required string Name { get; init; }

    public uint Attempt { get; init; }

    /// <summary>The image as the request named it, and the image id it resolved to.</summary>
    public required string Image { get; init; }

    public required string ImageId { get; init; }

    public required string RuntimeHandler { get; init; }

    public ContainerState State { get; init; }

    public long CreatedAtNanoseconds { get; init; }

    public long StartedAtNanoseconds { get; init; }

    public long FinishedAtNanoseconds { get; init; }

    public int ExitCode { get; init; }

    public string Reason { get; init; } = "";

    public string LogPath { get; init; } = "";

    /// <summary>The OCI bundle (config.json, rootfs mount point) and the shim's state directory live here.</summary>
    public required string Bundle { get; init; }

    /// <summary>The container's writable layer (overlay upperdir and workdir), on the persistent root.</summary>
    public required string WritableLayer { get; init; }

    /// <summary>The OCI linux.cgroupsPath the container runs in (where its stats are read).</summary>
    public string CgroupsPath { get; init; } = "";

    /// <summary>The termination message file we made and bound (null when none was asked for or the kubelet mounts its own).</summary>
    public Oci.TerminationMessage? TerminationMessage { get; init; }

    /// <summary>The uid, gid and groups its process runs as, as resolved into config.json at create (null in records written before it was kept).</summary>
    public Oci.ResolvedUser? User { get; init; }

    /// <summary>The CRI ContainerConfig as protobuf bytes.</summary>
    public required byte[] Config { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ContainerRecord))]
internal sealed partial class ContainerJsonContext : JsonSerializerContext;
