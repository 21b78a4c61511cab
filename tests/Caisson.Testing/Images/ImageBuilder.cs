using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Core.Oci;

namespace Caisson.Testing.Images;

/// <summary>
/// Builds an image (layers, config, manifest) in memory, deterministically: the same calls give the same digests.
/// </summary>
public sealed class ImageBuilder
{
    /// <summary>The config's "created" unless one is given: fixed so that image ids are stable.</summary>
    public static readonly DateTimeOffset DefaultCreated = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<BuiltLayer> layers = [];
    private readonly List<HistoryEntry> history = [];
    private readonly Dictionary<string, string> annotations = new(StringComparer.Ordinal);
    private ImageFormat format = ImageFormat.Oci;
    private Platform platform = new() { OS = "linux", Architecture = Platform.Current.Architecture, Variant = Platform.Current.Variant };
    private ContainerDefaults defaults = new();
    private DateTimeOffset created = DefaultCreated;

    public ImageBuilder WithMediaTypes(ImageFormat mediaTypes)
    {
        format = mediaTypes;
        return this;
    }

    /// <summary>The platform in the config (and in an index built from this image). Defaults to linux on this machine's architecture.</summary>
    public ImageBuilder WithPlatform(string os, string architecture, string? variant = null) =>
        WithPlatform(new Platform { OS = os, Architecture = architecture, Variant = variant });

    public ImageBuilder WithPlatform(Platform value)
    {
        platform = value;
        return this;
    }

    /// <summary>Changes the execution defaults: <c>.WithConfig(c => c with { Cmd = ["/bin/sh"] })</c>.</summary>
    public ImageBuilder WithConfig(Func<ContainerDefaults, ContainerDefaults> change)
    {
        defaults = change(defaults);
        return this;
    }

    public ImageBuilder WithCreated(DateTimeOffset value)
    {
        created = value;
        return this;
    }

    public ImageBuilder WithManifestAnnotation(string key, string value)
    {
        annotations[key] = value;
        return this;
    }

    public ImageBuilder AddLayer(LayerCompressionKind compression, Action<LayerBuilder> describe, string? createdBy = null)
    {
        var layer = new LayerBuilder();
        describe(layer);
        return AddLayer(layer.Build(compression), createdBy);
    }

    /// <summary>Adds a layer built before, e.g. a base layer shared by several images.</summary>
    public ImageBuilder AddLayer(BuiltLayer layer, string? createdBy = null)
    {
        layers.Add(layer);
        history.Add(new HistoryEntry { Created = created, CreatedBy = createdBy ?? $"caisson test layer {layers.Count}" });
        return this;
    }

    public BuiltImage Build()
    {
        var imageLayers = layers.Select(l => l.For(format)).ToArray();
        var config = new ImageConfig
        {
            Created = created,
            Architecture = platform.Architecture,
            OS = platform.OS,
            Variant = platform.Variant,
            Config = defaults,
            RootFs = new RootFs { DiffIds = imageLayers.Select(l => l.DiffId.ToString()).ToArray() },
            History = history.ToArray(),
        };
        var configBytes = JsonSerializer.SerializeToUtf8Bytes(config, OciJsonContext.Default.ImageConfig);
        var configDescriptor = DescriptorOf(configBytes, format == ImageFormat.Oci ? MediaTypes.OciConfig : MediaTypes.DockerConfig);

        var manifestMediaType = format == ImageFormat.Oci ? MediaTypes.OciManifest : MediaTypes.DockerManifest;
        var manifest = new ImageManifest
        {
            SchemaVersion = 2,
            MediaType = manifestMediaType,
            Config = configDescriptor,
            Layers = imageLayers.Select(l => l.Descriptor).ToArray(),
            Annotations = annotations.Count == 0 ? null : new Dictionary<string, string>(annotations, StringComparer.Ordinal),
        };
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.ImageManifest);

        var blobs = new Dictionary<Digest, byte[]> { [Digest.Sha256Of(configBytes)] = configBytes };
        foreach (var layer in imageLayers)
            blobs[layer.Digest] = layer.Compressed;

        return new BuiltImage
        {
            Format = format,
            Platform = platform,
            ManifestBytes = manifestBytes,
            Descriptor = DescriptorOf(manifestBytes, manifestMediaType),
            Manifest = manifest,
            ConfigBytes = configBytes,
            ConfigDescriptor = configDescriptor,
            Config = config,
            Layers = imageLayers,
            Blobs = blobs,
        };
    }

    internal static Descriptor DescriptorOf(byte[] content, string mediaType) => new()
    {
        MediaType = mediaType,
        Digest = Digest.Sha256Of(content).ToString(),
        Size = content.Length,
    };
}
