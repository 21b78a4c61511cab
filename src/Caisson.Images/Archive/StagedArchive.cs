using System.Buffers;
using System.Formats.Tar;
using System.Security.Cryptography;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Images.Content;

namespace Caisson.Images.Archive;

/// <summary>
/// An image archive tar read once, front to back, with every regular file copied to a staging directory and
/// hashed on the way. Staged files are named by their position, never by their archive name, so nothing an
/// archive says can place a file anywhere. Publishing moves a staged file into the content store (same file
/// system), so a layer is written to disk once.
/// </summary>
internal sealed class StagedArchive : IArchiveSource, IDisposable
{
    private const int BufferSize = 1 << 20;
    private readonly string _directory;
    private readonly Dictionary<string, StagedFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    private StagedArchive(string directory) => _directory = directory;

    public string Description => "the archive";

    /// <summary>Reads <paramref name="tar"/> to its end-of-archive marker into <paramref name="stagingDirectory"/>.</summary>
    public static async Task<StagedArchive> ReadAsync(Stream tar, string stagingDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(stagingDirectory);
        var archive = new StagedArchive(stagingDirectory);
        try
        {
            await archive.ReadEntriesAsync(tar, cancellationToken).ConfigureAwait(false);
            return archive;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            archive.Dispose();
            throw new InvalidArgumentException($"the archive is not a valid tar file: {e.Message}", e);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    private async Task ReadEntriesAsync(Stream tar, CancellationToken cancellationToken)
    {
        var reader = new TarReader(tar, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            var count = 0;
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    if (++count > ArchiveLimits.MaxEntries)
                        throw new InvalidArgumentException($"the archive has more than {ArchiveLimits.MaxEntries} entries");
                    await AddEntryAsync(entry, count, buffer, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (count == 0)
                throw new InvalidArgumentException("the archive is empty");
        }
    }

    private async Task AddEntryAsync(TarEntry entry, int position, byte[] buffer, CancellationToken cancellationToken)
    {
        switch (entry.EntryType)
        {
            case TarEntryType.GlobalExtendedAttributes:
                return;
            case TarEntryType.Directory:
                ArchivePath.Normalize(entry.Name, "directory");
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                var name = Claim(ArchivePath.Normalize(entry.Name, "entry"));
                _files[name] = await StageAsync(name, entry, position, buffer, cancellationToken).ConfigureAwait(false);
                return;
            case TarEntryType.SymbolicLink:
                var link = Claim(ArchivePath.Normalize(entry.Name, "link"));
                _links[link] = ArchivePath.ResolveLink(link, entry.LinkName);
                return;
            case TarEntryType.HardLink:
                var hardLink = Claim(ArchivePath.Normalize(entry.Name, "link"));
                _links[hardLink] = ArchivePath.Normalize(entry.LinkName, "hard link target");
                return;
            default:
                throw new InvalidArgumentException(
                    $"archive entry \"{entry.Name}\" refused: it is a {entry.EntryType}, and an image archive holds only files, directories and links");
        }
    }

    private string Claim(string name)
    {
        if (!_names.Add(name))
            throw new InvalidArgumentException($"archive entry \"{name}\" refused: the archive has it twice");
        return name;
    }

    private async Task<StagedFile> StageAsync(string name, TarEntry entry, int position, byte[] buffer, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_directory, position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        await using (file.ConfigureAwait(false))
        {
            if (entry.DataStream is { } data)
            {
                int read;
                while ((read = await data.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    size += read;
                }
            }

            if (size != entry.Length)
                throw new InvalidArgumentException($"archive entry \"{name}\": the archive ends inside it ({size} of {entry.Length} bytes)");
            file.Flush(flushToDisk: true);
        }

        var digest = Digest.FromSha256Hash(hash.GetHashAndReset());
        if (ArchivePath.DigestOfBlobName(name) is { } named && named != digest)
        {
            throw new InvalidArgumentException(
                $"archive entry \"{name}\": its content has digest {digest}, not the digest its name gives");
        }

        return new StagedFile(path, digest, size);
    }

    public bool Contains(string name) => Find(name) is not null;

    public long SizeOf(string name) => Get(name).Size;

    public Stream OpenRead(string name) =>
        new FileStream(Get(name).Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    public ValueTask<Digest> DigestOfAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult(Get(name).Digest);

    public Task PublishAsync(string name, Digest digest, ContentStore content, CancellationToken cancellationToken)
    {
        var file = Get(name);
        if (file.Digest != digest)
            throw new InvalidArgumentException($"archive entry \"{name}\" has digest {file.Digest}, not {digest}");
        if (!content.Exists(digest))
        {
            // Hashed while staged and fsynced there: the same checks an ingest makes, without copying the bytes again.
            // Two names for one file (a link) publish once; the second finds the blob stored.
            content.Publish(file.Path, digest);
        }

        return Task.CompletedTask;
    }

    private StagedFile Get(string name) =>
        Find(name) ?? throw new InvalidArgumentException($"\"{name}\" is not in the archive");

    private StagedFile? Find(string name)
    {
        for (var hop = 0; hop <= ArchiveLimits.MaxLinkHops; hop++)
        {
            if (_files.TryGetValue(name, out var file))
                return file;
            if (!_links.TryGetValue(name, out var target))
                return null;
            name = target;
        }

        throw new InvalidArgumentException($"archive link \"{name}\" refused: more than {ArchiveLimits.MaxLinkHops} links in a row");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private sealed record StagedFile(string Path, Digest Digest, long Size);
}
