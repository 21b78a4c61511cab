using System.Text;
using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Core.Oci;

namespace Caisson.Tests.Images.Archive;

/// <summary>An image built in memory: layers and a config naming their diff ids.</summary>
internal sealed class TestImage
{
    public TestImage(string label, IReadOnlyList<TestLayer> layers, string? architecture = null)
    {
        Layers = layers;
        Architecture = architecture ?? Platform.Current.Architecture;
        var diffIds = string.Join(",", layers.Select(l => $"\"{l.DiffId}\""));
        ConfigJson = Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"{{{Architecture}}}","os":"linux","created":"2024-05-01T00:00:00Z","config":{"Cmd":["/bin/{{{label}}}"]},"rootfs":{"type":"layers","diff_ids":[{{{diffIds}}}]}}""");
        Id = Digest.Sha256Of(ConfigJson);
    }

    public IReadOnlyList<TestLayer> Layers { get; }

    public string Architecture { get; }

    public byte[] ConfigJson { get; }

    /// <summary>The image id: its config's digest.</summary>
    public Digest Id { get; }

    /// <summary>An OCI manifest with gzip (or plain tar) layers, as a registry would serve it.</summary>
    public byte[] OciManifestJson(bool gzip)
    {
        var manifest = new ImageManifest
        {
            SchemaVersion = 2,
            MediaType = MediaTypes.OciManifest,
            Config = Describe(MediaTypes.OciConfig, ConfigJson),
            Layers = Layers.Select(l => gzip ? Describe(MediaTypes.OciLayerGzip, l.Gzip) : Describe(MediaTypes.OciLayer, l.Tar)).ToList(),
        };
        return JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.ImageManifest);
    }

    public static Descriptor Describe(string mediaType, byte[] content, Platform? platform = null) =>
        new() { MediaType = mediaType, Digest = Digest.Sha256Of(content).ToString(), Size = content.Length, Platform = platform };
}
