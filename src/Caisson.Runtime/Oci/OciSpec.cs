using System.Text.Json.Serialization;

namespace Caisson.Runtime.Oci;

/// <summary>The OCI runtime configuration (config.json) of one container; only the fields Caisson sets.</summary>
internal sealed record OciSpec
{
    /// <summary>The runtime spec version we write; runc 1.1 speaks 1.0.2.</summary>
    public const string Version = "1.0.2";

    [JsonPropertyName("ociVersion")] public string OciVersion { get; init; } = Version;
    [JsonPropertyName("process")] public required OciProcess Process { get; init; }
    [JsonPropertyName("root")] public required OciRoot Root { get; init; }
    [JsonPropertyName("hostname")] public string? Hostname { get; init; }
    [JsonPropertyName("mounts")] public IReadOnlyList<OciMount> Mounts { get; init; } = [];
    [JsonPropertyName("annotations")] public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    [JsonPropertyName("linux")] public required OciLinux Linux { get; init; }
}

internal sealed record OciRoot(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("readonly")] bool Readonly);

internal sealed record OciMount(
    [property: JsonPropertyName("destination")] string Destination,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("options")] IReadOnlyList<string> Options);

internal sealed record OciProcess
{
    [JsonPropertyName("terminal")] public bool Terminal { get; init; }
    [JsonPropertyName("user")] public required OciUser User { get; init; }
    [JsonPropertyName("args")] public required IReadOnlyList<string> Args { get; init; }
    [JsonPropertyName("env")] public IReadOnlyList<string> Env { get; init; } = [];
    [JsonPropertyName("cwd")] public string Cwd { get; init; } = "/";
    [JsonPropertyName("capabilities")] public OciCapabilities? Capabilities { get; init; }
    [JsonPropertyName("rlimits")] public IReadOnlyList<OciRlimit>? Rlimits { get; init; }
    [JsonPropertyName("noNewPrivileges")] public bool NoNewPrivileges { get; init; }
    [JsonPropertyName("oomScoreAdj")] public int? OomScoreAdj { get; init; }
    [JsonPropertyName("apparmorProfile")] public string? ApparmorProfile { get; init; }
}

internal sealed record OciUser
{
    [JsonPropertyName("uid")] public uint Uid { get; init; }
    [JsonPropertyName("gid")] public uint Gid { get; init; }
    [JsonPropertyName("umask")] public uint? Umask { get; init; }
    [JsonPropertyName("additionalGids")] public IReadOnlyList<uint>? AdditionalGids { get; init; }
}

internal sealed record OciCapabilities
{
    [JsonPropertyName("bounding")] public IReadOnlyList<string> Bounding { get; init; } = [];
    [JsonPropertyName("effective")] public IReadOnlyList<string> Effective { get; init; } = [];
    [JsonPropertyName("permitted")] public IReadOnlyList<string> Permitted { get; init; } = [];
    [JsonPropertyName("inheritable")] public IReadOnlyList<string>? Inheritable { get; init; }
    [JsonPropertyName("ambient")] public IReadOnlyList<string>? Ambient { get; init; }
}

internal sealed record OciRlimit(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("hard")] ulong Hard,
    [property: JsonPropertyName("soft")] ulong Soft);
