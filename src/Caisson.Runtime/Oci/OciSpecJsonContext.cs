using System.Text.Json.Serialization;

namespace Caisson.Runtime.Oci;

/// <summary>Source-generated JSON for config.json and seccomp profiles (NativeAOT safe).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(OciSpec))]
[JsonSerializable(typeof(OciSeccomp))]
internal sealed partial class OciSpecJsonContext : JsonSerializerContext;
