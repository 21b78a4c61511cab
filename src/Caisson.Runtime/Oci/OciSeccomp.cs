using System.Text.Json.Serialization;

namespace Caisson.Runtime.Oci;

/// <summary>A seccomp filter in the runtime spec's shape (also the shape of Localhost profile files).</summary>
internal sealed record OciSeccomp
{
    [JsonPropertyName("defaultAction")] public string DefaultAction { get; init; } = "";
    [JsonPropertyName("defaultErrnoRet")] public uint? DefaultErrnoRet { get; init; }
    [JsonPropertyName("architectures")] public IReadOnlyList<string>? Architectures { get; init; }
    [JsonPropertyName("flags")] public IReadOnlyList<string>? Flags { get; init; }
    [JsonPropertyName("syscalls")] public IReadOnlyList<OciSyscallRule>? Syscalls { get; init; }
}

internal sealed record OciSyscallRule
{
    [JsonPropertyName("names")] public IReadOnlyList<string> Names { get; init; } = [];
    [JsonPropertyName("action")] public string Action { get; init; } = "";
    [JsonPropertyName("errnoRet")] public uint? ErrnoRet { get; init; }
    [JsonPropertyName("args")] public IReadOnlyList<OciSyscallArg>? Args { get; init; }
}

/// <summary>A condition on one syscall argument (op is SCMP_CMP_*).</summary>
internal sealed record OciSyscallArg(
    [property: JsonPropertyName("index")] uint Index,
    [property: JsonPropertyName("value")] ulong Value,
    [property: JsonPropertyName("valueTwo")] ulong ValueTwo,
    [property: JsonPropertyName("op")] string Op);
