using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Caisson.Core.Errors;

namespace Caisson.Images.Archive;

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
