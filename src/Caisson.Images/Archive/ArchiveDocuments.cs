using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Caisson.Core.Errors;

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

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(List<DockerArchiveEntry>))]
[JsonSerializable(typeof(OciLayoutFile))]
[JsonSerializable(typeof(SortedDictionary<string, SortedDictionary<string, string>>))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext;

/// <summary>Reads the JSON files of an archive with a size limit and errors that name the file.</summary>
internal static class ArchiveDocuments
{
    public const string DockerManifest = "manifest.json";
    public const string DockerRepositories = "repositories";
    public const string OciIndex = "index.json";
    public const string OciLayout = "oci-layout";

    public static async Task<byte[]> ReadAsync(IArchiveSource source, string name, CancellationToken cancellationToken)
    {
        var size = source.SizeOf(name);
        if (size > ArchiveLimits.MaxDocumentSize)
        {
            throw new InvalidArgumentException(
                $"{name} in {source.Description} is {size} bytes, over the {ArchiveLimits.MaxDocumentSize}-byte limit for JSON documents");
        }

        var bytes = new byte[size];
        var stream = source.OpenRead(name);
        await using (stream.ConfigureAwait(false))
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    public static async Task<T> ReadJsonAsync<T>(IArchiveSource source, string name, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var bytes = await ReadAsync(source, name, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new InvalidArgumentException($"{name} in {source.Description} is JSON null");
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"{name} in {source.Description} is not valid: {e.Message}", e);
        }
    }
}
