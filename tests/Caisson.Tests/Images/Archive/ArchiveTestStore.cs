using Caisson.Core.References;
using Caisson.Images.Distribution;
using Caisson.Images.Metadata;
using Caisson.Images.Store;
using Caisson.Testing.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caisson.Tests.Images.Archive;

/// <summary>A fresh image store in a temporary directory (its registry client is never used), deleted on dispose.</summary>
internal sealed class ArchiveTestStore : IDisposable
{
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    private readonly RegistryClient _registry = new(new RegistryOptions(), NullLogger<RegistryClient>.Instance);

    public ArchiveTestStore(string snapshotter = "overlayfs")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("caisson-archive-").FullName;
        Root = Path.Combine(Directory, "root");
        Images = new ImageService(new ImageStoreOptions { Root = Root, Snapshotter = snapshotter }, _registry, NullLoggerFactory.Instance, new FixedTime(Now));
    }

    /// <summary>The temporary directory; the store's root is beneath it, so anything escaping the root lands here.</summary>
    public string Directory { get; }

    public string Root { get; }

    public ImageService Images { get; }

    /// <summary>Loads an archive through a stream that cannot seek and hands out odd-sized reads, as gRPC would.</summary>
    public Task<IReadOnlyList<string>> LoadAsync(byte[] archive) =>
        Images.LoadAsync(new ForwardOnlyStream(archive), CancellationToken.None);

    /// <summary>Puts an image's blobs and a name into the store directly, without unpacking (for save tests).</summary>
    public async Task SeedAsync(BuiltImage image, string name)
    {
        foreach (var (digest, blob) in image.Blobs.Append(new(image.Digest, image.ManifestBytes)))
            await Images.Content.WriteAsync(digest, blob, CancellationToken.None);
        Images.PutNames([new ImageRecord(
            ImageReference.Parse(name).ToString(), image.Digest, image.Descriptor.MediaType, image.ManifestBytes.Length, image.Digest, image.ConfigDigest, Now, Now)]);
    }

    /// <summary>The files of the staging area loads use; empty unless a load is running.</summary>
    public string[] StagedFiles()
    {
        var staging = Path.Combine(Root, "tmp");
        return System.IO.Directory.Exists(staging) ? System.IO.Directory.GetFileSystemEntries(staging, "*", SearchOption.AllDirectories) : [];
    }

    /// <summary>Everything under the temporary directory that is not the store's root.</summary>
    public string[] FilesOutsideRoot() =>
        System.IO.Directory.GetFileSystemEntries(Directory, "*", SearchOption.AllDirectories)
            .Where(p => p != Root && !p.StartsWith(Root + "/", StringComparison.Ordinal)).ToArray();

    public void Dispose()
    {
        Images.Dispose();
        _registry.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>A read-only stream over bytes that cannot seek and returns at most 7000 bytes a read.</summary>
internal sealed class ForwardOnlyStream(byte[] data) : Caisson.Images.Unpack.ReadOnlyStream
{
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, 7000), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));
}
