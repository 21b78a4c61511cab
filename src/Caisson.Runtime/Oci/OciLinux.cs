using System.Text.Json.Serialization;

namespace Caisson.Runtime.Oci;

/// <summary>The linux section of config.json.</summary>
internal sealed record OciLinux
{
    [JsonPropertyName("namespaces")] public IReadOnlyList<OciNamespace> Namespaces { get; init; } = [];
    [JsonPropertyName("uidMappings")] public IReadOnlyList<OciIdMapping>? UidMappings { get; init; }
    [JsonPropertyName("gidMappings")] public IReadOnlyList<OciIdMapping>? GidMappings { get; init; }
    [JsonPropertyName("devices")] public IReadOnlyList<OciDevice> Devices { get; init; } = [];
    [JsonPropertyName("cgroupsPath")] public string? CgroupsPath { get; init; }
    [JsonPropertyName("resources")] public OciResources? Resources { get; init; }
    [JsonPropertyName("seccomp")] public OciSeccomp? Seccomp { get; init; }
    [JsonPropertyName("sysctl")] public IReadOnlyDictionary<string, string>? Sysctl { get; init; }
    [JsonPropertyName("maskedPaths")] public IReadOnlyList<string>? MaskedPaths { get; init; }
    [JsonPropertyName("readonlyPaths")] public IReadOnlyList<string>? ReadonlyPaths { get; init; }
    [JsonPropertyName("rootfsPropagation")] public string? RootfsPropagation { get; init; }
    [JsonPropertyName("mountLabel")] public string? MountLabel { get; init; }
}

/// <summary>A namespace to create (no path) or to join (path).</summary>
internal sealed record OciNamespace(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("path")] string? Path = null);

internal sealed record OciIdMapping(
    [property: JsonPropertyName("containerID")] uint ContainerId,
    [property: JsonPropertyName("hostID")] uint HostId,
    [property: JsonPropertyName("size")] uint Size);

/// <summary>A device node runc creates in the container.</summary>
internal sealed record OciDevice(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("major")] long Major,
    [property: JsonPropertyName("minor")] long Minor,
    [property: JsonPropertyName("fileMode")] uint? FileMode,
    [property: JsonPropertyName("uid")] uint? Uid,
    [property: JsonPropertyName("gid")] uint? Gid);

internal sealed record OciResources
{
    [JsonPropertyName("devices")] public IReadOnlyList<OciDeviceRule> Devices { get; init; } = [];
    [JsonPropertyName("memory")] public OciMemory? Memory { get; init; }
    [JsonPropertyName("cpu")] public OciCpu? Cpu { get; init; }
    [JsonPropertyName("pids")] public OciPids? Pids { get; init; }
    [JsonPropertyName("hugepageLimits")] public IReadOnlyList<OciHugepageLimit>? HugepageLimits { get; init; }
    [JsonPropertyName("unified")] public IReadOnlyDictionary<string, string>? Unified { get; init; }
}

/// <summary>A device cgroup rule; no type/major/minor means all.</summary>
internal sealed record OciDeviceRule(
    [property: JsonPropertyName("allow")] bool Allow,
    [property: JsonPropertyName("access")] string Access,
    [property: JsonPropertyName("type")] string? Type = null,
    [property: JsonPropertyName("major")] long? Major = null,
    [property: JsonPropertyName("minor")] long? Minor = null);

internal sealed record OciMemory(
    [property: JsonPropertyName("limit")] long? Limit,
    [property: JsonPropertyName("swap")] long? Swap);

internal sealed record OciCpu
{
    [JsonPropertyName("shares")] public ulong? Shares { get; init; }
    [JsonPropertyName("quota")] public long? Quota { get; init; }
    [JsonPropertyName("period")] public ulong? Period { get; init; }
    [JsonPropertyName("cpus")] public string? Cpus { get; init; }
    [JsonPropertyName("mems")] public string? Mems { get; init; }
}

internal sealed record OciPids([property: JsonPropertyName("limit")] long Limit);

internal sealed record OciHugepageLimit(
    [property: JsonPropertyName("pageSize")] string PageSize,
    [property: JsonPropertyName("limit")] ulong Limit);
