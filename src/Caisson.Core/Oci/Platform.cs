using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Caisson.Core.Oci;

/// <summary>An OCI platform (os/architecture/variant) and the matching rules for picking index entries.</summary>
public sealed record Platform
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = "";

    [JsonPropertyName("os")]
    public string OS { get; init; } = "";

    [JsonPropertyName("os.version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OSVersion { get; init; }

    [JsonPropertyName("os.features")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? OSFeatures { get; init; }

    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; init; }

    public override string ToString() =>
        string.IsNullOrEmpty(Variant) ? $"{OS}/{Architecture}" : $"{OS}/{Architecture}/{Variant}";

    /// <summary>The platform this process runs on, in OCI (GOARCH) terms.</summary>
    public static Platform Current { get; } = new()
    {
        OS = "linux",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "amd64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            System.Runtime.InteropServices.Architecture.Arm => "arm",
            System.Runtime.InteropServices.Architecture.X86 => "386",
            System.Runtime.InteropServices.Architecture.S390x => "s390x",
            System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
            System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
            System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
            _ => "unknown",
        },
        Variant = RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "v8" : null,
    };

    /// <summary>Parses "os/arch[/variant]" as given on a command line.</summary>
    public static Platform Parse(string value)
    {
        var parts = value.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrWhiteSpace))
            throw new Errors.InvalidArgumentException($"invalid platform \"{value}\": want os/arch[/variant]");
        return new Platform
        {
            OS = parts[0].ToLowerInvariant(),
            Architecture = NormalizeArchitecture(parts[1].ToLowerInvariant()),
            Variant = parts.Length == 3 ? parts[2].ToLowerInvariant() : null,
        };
    }

    /// <summary>
    /// Whether an index entry for <paramref name="candidate"/> can run here. The variant must match when both
    /// name one; arm64's "v8" is its default and may be omitted.
    /// </summary>
    public bool Matches(Platform? candidate)
    {
        if (candidate is null)
            return false;
        if (!string.Equals(candidate.OS, OS, StringComparison.OrdinalIgnoreCase))
            return false;
        if (!string.Equals(NormalizeArchitecture(candidate.Architecture), NormalizeArchitecture(Architecture), StringComparison.OrdinalIgnoreCase))
            return false;
        var want = NormalizeVariant(Architecture, Variant);
        var have = NormalizeVariant(candidate.Architecture, candidate.Variant);
        return want is null || have is null || string.Equals(want, have, StringComparison.OrdinalIgnoreCase);
    }

    private static string NormalizeArchitecture(string arch) => arch switch
    {
        "x86_64" or "x86-64" => "amd64",
        "aarch64" => "arm64",
        "i386" or "i686" => "386",
        _ => arch,
    };

    private static string? NormalizeVariant(string arch, string? variant) =>
        NormalizeArchitecture(arch) == "arm64" && (variant is null or "" or "v8") ? null : string.IsNullOrEmpty(variant) ? null : variant;
}
