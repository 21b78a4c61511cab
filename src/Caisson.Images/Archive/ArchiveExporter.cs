using System.Formats.Tar;
using System.Text.Json;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Core.References;
using Caisson.Images.Content;
using Caisson.Images.Store;

namespace Caisson.Images.Archive;

/// <summary>An image to save and the names to save it under (none when it was asked for by id or digest).</summary>
internal sealed record ExportedImage(ImageDetails Details, List<ImageReference> Names);

/// <summary>
/// Writes images as one tar that is both a docker save archive (manifest.json, repositories) and an OCI image
/// layout (oci-layout, index.json, blobs/sha256/...), as docker 25 and later write it, so both `docker load` and
/// OCI tools take it. The blobs are the stored ones, byte for byte (layers compressed as they were pulled), and
/// manifest.json points into blobs/. Each image is saved as its platform manifest: the index it may have come
/// from is not written, since this store holds only one platform's blobs and a partial index is not a valid
/// layout for most tools.
/// </summary>
internal sealed class ArchiveExporter(ContentStore content)
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Ustar cannot record larger sizes; such entries are written as PAX.</summary>
    private const long MaxUstarSize = (8L << 30) - 1;

    public async Task WriteAsync(IReadOnlyList<ExportedImage> images, Stream output, CancellationToken cancellationToken)
    {
        var blobs = BlobsOf(images);
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await WriteDirectoryAsync(writer, ArchivePath.BlobsDirectory, cancellationToken).ConfigureAwait(false);
            await WriteDirectoryAsync(writer, $"{ArchivePath.BlobsDirectory}/sha256", cancellationToken).ConfigureAwait(false);
            foreach (var (digest, size) in blobs)
                await WriteBlobAsync(writer, digest, size, cancellationToken).ConfigureAwait(false);

            await WriteFileAsync(writer, ArchiveDocuments.OciLayout,
                JsonSerializer.SerializeToUtf8Bytes(new OciLayoutFile { ImageLayoutVersion = OciLayoutFile.CurrentVersion }, ArchiveJsonContext.Default.OciLayoutFile),
                cancellationToken).ConfigureAwait(false);
            await WriteFileAsync(writer, ArchiveDocuments.OciIndex, IndexJson(images), cancellationToken).ConfigureAwait(false);
            await WriteFileAsync(writer, ArchiveDocuments.DockerManifest, DockerManifestJson(images), cancellationToken).ConfigureAwait(false);
            await WriteFileAsync(writer, ArchiveDocuments.DockerRepositories, RepositoriesJson(images), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every blob to write, once, checked to be in the store before the first byte goes out.</summary>
    private List<(Digest Digest, long Size)> BlobsOf(IReadOnlyList<ExportedImage> images)
    {
        var blobs = new List<(Digest, long)>();
        var seen = new HashSet<Digest>();
        foreach (var image in images)
        {
            var manifest = image.Details.Manifest;
            var descriptors = manifest.Layers.Prepend(manifest.Config)
                .Select(d => (Digest: Digest.Parse(d.Digest), d.Size))
                .Prepend((image.Details.ManifestDigest, image.Details.ManifestJson.Length));
            foreach (var (digest, size) in descriptors)
            {
                if (!seen.Add(digest))
                    continue;
                var stored = content.SizeOf(digest) ?? throw new NotFoundException(
                    $"cannot save image {image.Details.Manifest.Config.Digest}: blob {digest} is not in the content store");
                if (stored != size)
                    throw new CaissonException(ErrorKind.Internal, $"cannot save: stored blob {digest} has {stored} bytes, its descriptor says {size}");
                blobs.Add((digest, size));
            }
        }

        return blobs;
    }

    private async Task WriteBlobAsync(TarWriter writer, Digest digest, long size, CancellationToken cancellationToken)
    {
        var blob = content.OpenRead(digest);
        await using (blob.ConfigureAwait(false))
        {
            var entry = NewEntry(TarEntryType.RegularFile, ArchivePath.BlobName(digest), FileMode, size);
            entry.DataStream = blob;
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteFileAsync(TarWriter writer, string name, byte[] bytes, CancellationToken cancellationToken)
    {
        var entry = NewEntry(TarEntryType.RegularFile, name, FileMode, bytes.Length);
        entry.DataStream = new MemoryStream(bytes, writable: false);
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static Task WriteDirectoryAsync(TarWriter writer, string name, CancellationToken cancellationToken) =>
        writer.WriteEntryAsync(NewEntry(TarEntryType.Directory, name + "/", DirectoryMode, 0), cancellationToken);

    // Fixed owner and times: saving the same images twice gives the same bytes.
    private static TarEntry NewEntry(TarEntryType type, string name, UnixFileMode mode, long size)
    {
        TarEntry entry = size <= MaxUstarSize ? new UstarTarEntry(type, name) : new PaxTarEntry(type, name);
        entry.Mode = mode;
        entry.ModificationTime = DateTimeOffset.UnixEpoch;
        entry.Uid = 0;
        entry.Gid = 0;
        return entry;
    }

    /// <summary>One entry per image and name (an unnamed image gets one without names), as containerd and docker write it.</summary>
    private static byte[] IndexJson(IReadOnlyList<ExportedImage> images)
    {
        var manifests = new List<Descriptor>();
        foreach (var image in images)
        {
            var descriptor = new Descriptor
            {
                MediaType = image.Details.ManifestMediaType,
                Digest = image.Details.ManifestDigest.ToString(),
                Size = image.Details.ManifestJson.Length,
            };
            if (image.Names.Count == 0)
                manifests.Add(descriptor);
            foreach (var name in image.Names)
            {
                manifests.Add(descriptor with
                {
                    Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                    {
                        [ImageNames.ContainerdNameAnnotation] = name.ToString(),
                        [ImageNames.RefNameAnnotation] = name.Tag ?? ImageReference.DefaultTag,
                    },
                });
            }
        }

        var index = new ImageIndex { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = manifests };
        return JsonSerializer.SerializeToUtf8Bytes(index, OciJsonContext.Default.ImageIndex);
    }

    private static byte[] DockerManifestJson(IReadOnlyList<ExportedImage> images)
    {
        var entries = images.Select(image => new DockerArchiveEntry
        {
            Config = ArchivePath.BlobName(Digest.Parse(image.Details.Manifest.Config.Digest)),
            RepoTags = image.Names.Count == 0 ? null : image.Names.Select(ImageNames.Familiar).ToList(),
            Layers = image.Details.Manifest.Layers.Select(l => ArchivePath.BlobName(Digest.Parse(l.Digest))).ToList(),
        }).ToList();
        return JsonSerializer.SerializeToUtf8Bytes(entries, ArchiveJsonContext.Default.ListDockerArchiveEntry);
    }

    /// <summary>
    /// The pre-1.10 docker index of tags: repository -> tag -> top layer. Loaders read manifest.json when it is
    /// there; this is written because docker does and some tools list tags from it. The id is the top layer blob's.
    /// </summary>
    private static byte[] RepositoriesJson(IReadOnlyList<ExportedImage> images)
    {
        var repositories = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            if (image.Details.Manifest.Layers.Count == 0)
                continue;
            var top = Digest.Parse(image.Details.Manifest.Layers[^1].Digest).Hex;
            foreach (var name in image.Names)
            {
                var repository = ImageNames.Familiar(name.WithoutTagOrDigest());
                if (!repositories.TryGetValue(repository, out var tags))
                    repositories[repository] = tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
                tags[name.Tag ?? ImageReference.DefaultTag] = top;
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(repositories, ArchiveJsonContext.Default.SortedDictionaryStringSortedDictionaryStringString);
    }
}
