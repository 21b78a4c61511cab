using System.Text;
using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Core.Oci;
using Caisson.Testing.FaultRegistry;

namespace Caisson.Tests.Images.Distribution;

/// <summary>A one-layer image (random layer bytes, real config and manifest JSON) to serve from a fault registry.</summary>
internal sealed record TestImage(byte[] Layer, Descriptor LayerDescriptor, byte[] Config, Descriptor ConfigDescriptor, byte[] Manifest, string ManifestMediaType)
{
    public Descriptor ManifestDescriptor => new()
    {
        MediaType = ManifestMediaType,
        Digest = Digest.Sha256Of(Manifest).ToString(),
        Size = Manifest.Length,
    };

    public static TestImage Create(bool docker = false, int layerSize = 64 * 1024, Platform? platform = null)
    {
        platform ??= new Platform { OS = "linux", Architecture = "amd64" };
        var layer = new byte[layerSize];
        Random.Shared.NextBytes(layer);
        var layerDescriptor = Describe(docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip, layer);

        var config = JsonSerializer.SerializeToUtf8Bytes(new ImageConfig
        {
            Architecture = platform.Architecture,
            OS = platform.OS,
            Variant = platform.Variant,
            RootFs = new RootFs { DiffIds = [Digest.Sha256Of(layer).ToString()] },
        }, OciJsonContext.Default.ImageConfig);
        var configDescriptor = Describe(docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig, config);

        var manifestMediaType = docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest;
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new ImageManifest
        {
            SchemaVersion = 2,
            MediaType = manifestMediaType,
            Config = configDescriptor,
            Layers = [layerDescriptor],
        }, OciJsonContext.Default.ImageManifest);
        return new TestImage(layer, layerDescriptor, config, configDescriptor, manifest, manifestMediaType);
    }

    /// <summary>Stores layer, config and manifest (under <paramref name="tag"/> when given) in the registry.</summary>
    public Descriptor AddTo(FaultInjectingRegistry registry, string repository, string? tag)
    {
        registry.AddBlob(repository, Layer, LayerDescriptor.MediaType);
        registry.AddBlob(repository, Config, ConfigDescriptor.MediaType);
        return registry.AddManifest(repository, tag, Manifest, ManifestMediaType);
    }

    public static (byte[] Bytes, string MediaType) Index(bool docker, params (Descriptor Manifest, Platform? Platform)[] entries)
    {
        var mediaType = docker ? MediaTypes.DockerManifestList : MediaTypes.OciIndex;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new ImageIndex
        {
            SchemaVersion = 2,
            MediaType = mediaType,
            Manifests = entries.Select(e => e.Manifest with { Platform = e.Platform }).ToList(),
        }, OciJsonContext.Default.ImageIndex);
        return (bytes, mediaType);
    }

    public static Descriptor Describe(string mediaType, byte[] content) =>
        new() { MediaType = mediaType, Digest = Digest.Sha256Of(content).ToString(), Size = content.Length };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
