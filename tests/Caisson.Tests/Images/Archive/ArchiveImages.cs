using Caisson.Core.Oci;
using Caisson.Testing.Images;

namespace Caisson.Tests.Images.Archive;

/// <summary>Small images for archive tests, built with the shared image builder.</summary>
internal static class ArchiveImages
{
    public static BuiltLayer Layer(LayerCompressionKind compression, params (string Path, string Text)[] files)
    {
        var layer = new LayerBuilder();
        foreach (var (path, text) in files)
            layer.TextFile(path, text);
        return layer.Build(compression);
    }

    /// <summary>An image whose config differs by <paramref name="label"/> (its Cmd), so each label is its own image id.</summary>
    public static BuiltImage Image(string label, IEnumerable<BuiltLayer> layers, ImageFormat format = ImageFormat.Oci, string? architecture = null)
    {
        var builder = new ImageBuilder()
            .WithMediaTypes(format)
            .WithConfig(c => c with { Cmd = [$"/bin/{label}"] });
        if (architecture is not null)
            builder.WithPlatform("linux", architecture);
        foreach (var layer in layers)
            builder.AddLayer(layer);
        return builder.Build();
    }

    /// <summary>A platform other than this machine's, for multi-platform indexes.</summary>
    public static string OtherArchitecture => Platform.Current.Architecture == "amd64" ? "arm64" : "amd64";
}
