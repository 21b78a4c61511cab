using System.Text.Json.Serialization;

namespace Caisson.Core.Oci;

/// <summary>Source-generated JSON for the OCI documents (NativeAOT safe).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    AllowTrailingCommas = false)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(ManifestProbe))]
public sealed partial class OciJsonContext : JsonSerializerContext;
