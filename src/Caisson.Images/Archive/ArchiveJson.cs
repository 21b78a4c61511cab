using System.Text.Json.Serialization;

namespace Caisson.Images.Archive;

/// <summary>One image in a docker save archive's manifest.json.</summary>
internal sealed record DockerArchiveEntry
{
    [JsonPropertyName("Config")]
    public string? Config { get; init; }

    [JsonPropertyName("RepoTags")]
    public IReadOnlyList<string>? RepoTags { get; init; }

    [JsonPropertyName("Layers")]
    public IReadOnlyList<string>? Layers { get; init; }
}

/// <summary>The oci-layout file at the root of an OCI image layout.</summary>
internal sealed record OciLayoutFile
{
    public const string CurrentVersion = "1.0.0";

    [JsonPropertyName("imageLayoutVersion")]
    public string? ImageLayoutVersion { get; init; }
}

/// <summary>Source-generated JSON for the archive files (NativeAOT safe, like the OCI documents).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(List<DockerArchiveEntry>))]
[JsonSerializable(typeof(OciLayoutFile))]
[JsonSerializable(typeof(SortedDictionary<string, SortedDictionary<string, string>>))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext;
