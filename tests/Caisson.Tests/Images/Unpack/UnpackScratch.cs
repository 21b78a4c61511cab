using Caisson.Core.Oci;
using Caisson.Images.Unpack;

namespace Caisson.Tests.Images.Unpack;

/// <summary>A temporary directory with an empty <c>root/</c> to unpack into; removed on dispose.</summary>
internal sealed class UnpackScratch : IDisposable
{
    public UnpackScratch()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"caisson-unpack-{Guid.NewGuid():N}");
        Root = Path.Combine(Directory, "root");
        System.IO.Directory.CreateDirectory(Root);
    }

    public string Directory { get; }

    public string Root { get; }

    public string this[string relative] => Path.Combine(Root, relative);

    public Task<UnpackResult> UnpackAsync(byte[] tar, WhiteoutMode mode = WhiteoutMode.Overlay,
        LayerCompression compression = LayerCompression.None, CancellationToken cancellationToken = default) =>
        LayerUnpacker.UnpackAsync(new MemoryStream(TarBuilder.Compress(tar, compression)), compression, Root, mode, cancellationToken);

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }
}
