using System.Text.Json;
using System.Text.Json.Serialization;
using Caisson.Core.Errors;

namespace Caisson.Core.Oci;

/// <summary>The fields that tell an index from a manifest, read before committing to either shape.</summary>
public sealed record ManifestProbe
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("manifests")]
    public JsonElement? Manifests { get; init; }

    [JsonPropertyName("layers")]
    public JsonElement? Layers { get; init; }

    [JsonPropertyName("config")]
    public JsonElement? Config { get; init; }

    [JsonPropertyName("fsLayers")]
    public JsonElement? FsLayers { get; init; }
}

/// <summary>A parsed manifest-like document: exactly one of <see cref="Index"/> and <see cref="Manifest"/> is set.</summary>
public sealed record ManifestDocument(string MediaType, ImageIndex? Index, ImageManifest? Manifest)
{
    /// <summary>Registries must not make us hold more than this in memory for one manifest or config.</summary>
    public const int MaxSize = 4 * 1024 * 1024;

    /// <summary>
    /// Parses a manifest or index. <paramref name="declaredMediaType"/> is the Content-Type or descriptor
    /// media type, used when the document does not name its own.
    /// </summary>
    public static ManifestDocument Parse(ReadOnlySpan<byte> json, string? declaredMediaType)
    {
        if (json.Length > MaxSize)
            throw new InvalidArgumentException($"manifest is {json.Length} bytes, over the {MaxSize}-byte limit");

        ManifestProbe probe;
        try
        {
            probe = JsonSerializer.Deserialize(json, OciJsonContext.Default.ManifestProbe)
                ?? throw new InvalidArgumentException("manifest is JSON null");
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"manifest is not valid JSON: {e.Message}", e);
        }

        var declared = StripParameters(declaredMediaType);
        var mediaType = probe.MediaType ?? declared;
        if (probe.SchemaVersion == 1 || probe.FsLayers is not null || MediaTypes.IsSchema1(mediaType))
        {
            throw new InvalidArgumentException(
                "Docker schema 1 manifests are not supported (deprecated since 2017); push the image again with a current client");
        }

        var hasManifests = probe.Manifests is { ValueKind: not JsonValueKind.Null };
        var hasLayers = probe.Layers is { ValueKind: not JsonValueKind.Null };
        if (hasManifests && hasLayers)
            throw new InvalidArgumentException("ambiguous document: it has both \"manifests\" and \"layers\"");
        if (probe.SchemaVersion != 2)
            throw new InvalidArgumentException($"unsupported manifest schemaVersion {probe.SchemaVersion}");

        if (probe.MediaType is not null && declared is not null && !string.Equals(probe.MediaType, declared, StringComparison.Ordinal)
            && (MediaTypes.IsIndex(declared) || MediaTypes.IsManifest(declared)))
        {
            throw new InvalidArgumentException($"manifest says media type {probe.MediaType} but was served as {declared}");
        }

        if (hasManifests || MediaTypes.IsIndex(mediaType))
        {
            if (hasLayers || probe.Config is { ValueKind: not JsonValueKind.Null })
                throw new InvalidArgumentException("an index must not have \"config\" or \"layers\"");
            var index = Deserialize(json, OciJsonContext.Default.ImageIndex);
            ValidateDescriptors(index.Manifests, "manifests");
            return new ManifestDocument(mediaType ?? MediaTypes.OciIndex, index, null);
        }

        if (hasLayers || MediaTypes.IsManifest(mediaType))
        {
            var manifest = Deserialize(json, OciJsonContext.Default.ImageManifest);
            ValidateDescriptors([manifest.Config], "config");
            ValidateDescriptors(manifest.Layers, "layers");
            return new ManifestDocument(mediaType ?? MediaTypes.OciManifest, null, manifest);
        }

        throw new InvalidArgumentException($"unrecognized manifest (media type \"{mediaType}\")");
    }

    private static T Deserialize<T>(ReadOnlySpan<byte> json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        try
        {
            return JsonSerializer.Deserialize(json, info) ?? throw new InvalidArgumentException("document is JSON null");
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"malformed {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static void ValidateDescriptors(IEnumerable<Descriptor?> descriptors, string field)
    {
        foreach (var d in descriptors)
        {
            if (d is null)
                throw new InvalidArgumentException($"null descriptor in \"{field}\"");
            if (!Digests.Digest.TryParse(d.Digest, out _, out var why))
                throw new InvalidArgumentException($"descriptor in \"{field}\" has invalid digest \"{d.Digest}\": {why}");
            if (d.Size < 0)
                throw new InvalidArgumentException($"descriptor {d.Digest} in \"{field}\" has negative size {d.Size}");
        }
    }

    public static string? StripParameters(string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(mediaType))
            return null;
        var semicolon = mediaType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? mediaType[..semicolon] : mediaType).Trim();
    }
}
