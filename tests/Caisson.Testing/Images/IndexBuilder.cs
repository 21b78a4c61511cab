using System.Text.Json;
using Caisson.Core.Oci;

namespace Caisson.Testing.Images;

/// <summary>Combines built images into an OCI image index or a Docker manifest list.</summary>
public sealed class IndexBuilder
{
    private readonly List<(BuiltImage Image, Descriptor Entry)> entries = [];
    private readonly Dictionary<string, string> annotations = new(StringComparer.Ordinal);
    private ImageFormat format = ImageFormat.Oci;

    public IndexBuilder WithMediaTypes(ImageFormat mediaTypes)
    {
        format = mediaTypes;
        return this;
    }

    /// <summary>Lists <paramref name="image"/> under the platform it was built for.</summary>
    public IndexBuilder Add(BuiltImage image) => Add(image, image.Platform);

    /// <summary>
    /// Lists <paramref name="image"/> under <paramref name="platform"/>, which need not be the image's own (null
    /// leaves the platform out, e.g. for an attestation-like entry); annotations go on the index entry.
    /// </summary>
    public IndexBuilder Add(BuiltImage image, Platform? platform, IReadOnlyDictionary<string, string>? entryAnnotations = null)
    {
        entries.Add((image, image.Descriptor with { Platform = platform, Annotations = entryAnnotations }));
        return this;
    }

    public IndexBuilder WithAnnotation(string key, string value)
    {
        annotations[key] = value;
        return this;
    }

    public BuiltIndex Build()
    {
        if (entries.Count == 0)
            throw new InvalidOperationException("an index needs at least one image");
        var mediaType = format == ImageFormat.Oci ? MediaTypes.OciIndex : MediaTypes.DockerManifestList;
        var index = new ImageIndex
        {
            SchemaVersion = 2,
            MediaType = mediaType,
            Manifests = entries.Select(e => e.Entry).ToArray(),
            Annotations = annotations.Count == 0 ? null : new Dictionary<string, string>(annotations, StringComparer.Ordinal),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(index, OciJsonContext.Default.ImageIndex);
        return new BuiltIndex
        {
            Format = format,
            Bytes = bytes,
            Descriptor = ImageBuilder.DescriptorOf(bytes, mediaType),
            Index = index,
            Images = entries.Select(e => e.Image).ToArray(),
        };
    }
}
