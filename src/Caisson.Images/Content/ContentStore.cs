using Caisson.Core.Digests;
using Caisson.Core.Errors;

namespace Caisson.Images.Content;

/// <summary>
/// Content-addressed blobs under <c>content/blobs/sha256/&lt;hex&gt;</c>. A blob appears only complete and verified:
/// it is written under <c>content/ingest/</c>, fsynced, checked, then renamed into place.
/// </summary>
public sealed class ContentStore
{
    private readonly string _blobsDirectory;
    private readonly string _ingestDirectory;

    public ContentStore(string root)
    {
        Root = root;
        _blobsDirectory = Path.Combine(root, "blobs", "sha256");
        _ingestDirectory = Path.Combine(root, "ingest");
        Directory.CreateDirectory(_blobsDirectory);
        Directory.CreateDirectory(_ingestDirectory);
    }

    public string Root { get; }

    public string BlobPath(Digest digest)
    {
        if (digest.Algorithm != "sha256")
            throw new InvalidArgumentException($"unsupported digest algorithm for the content store: {digest}");
        return Path.Combine(_blobsDirectory, digest.Hex);
    }

    public bool Exists(Digest digest) => File.Exists(BlobPath(digest));

    /// <summary>The size of a stored blob, or null when it is not stored.</summary>
    public long? SizeOf(Digest digest)
    {
        var info = new FileInfo(BlobPath(digest));
        return info.Exists ? info.Length : null;
    }

    public Stream OpenRead(Digest digest)
    {
        try
        {
            return new FileStream(BlobPath(digest), new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read | FileShare.Delete,
                BufferSize = 0, Options = FileOptions.SequentialScan,
            });
        }
        catch (FileNotFoundException e)
        {
            throw new NotFoundException($"content {digest} not found", e);
        }
    }

    public async Task<byte[]> ReadAllAsync(Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(BlobPath(digest), cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new NotFoundException($"content {digest} not found", e);
        }
    }

    /// <summary>
    /// Starts or resumes writing <paramref name="expected"/>: bytes a previous ingest left (even before a restart)
    /// are kept, and <see cref="ContentIngest.Offset"/> says where to continue.
    /// </summary>
    public ContentIngest OpenIngest(Digest expected, long expectedSize) =>
        ContentIngest.Open(this, Path.Combine(_ingestDirectory, expected.Hex), expected, expectedSize);

    /// <summary>
    /// Stores a small blob held in memory (manifests, configs), verifying its digest. Concurrent writers of the
    /// same blob each use their own temp file; the renames are idempotent.
    /// </summary>
    public Task WriteAsync(Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Exists(digest))
            return Task.CompletedTask;
        var actual = Digest.Sha256Of(content.Span);
        if (actual != digest)
            throw new CaissonException(ErrorKind.Internal, $"content digest mismatch: expected {digest}, got {actual}");
        var temp = Path.Combine(_ingestDirectory, $".small-{digest.ShortId}-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
            {
                file.Write(content.Span);
                file.Flush(flushToDisk: true);
            }

            Publish(temp, digest);
        }
        finally
        {
            File.Delete(temp);
        }

        return Task.CompletedTask;
    }

    public bool Delete(Digest digest)
    {
        var path = BlobPath(digest);
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        return true;
    }

    /// <summary>Every stored blob with its size.</summary>
    public IEnumerable<(Digest Digest, long Size)> List()
    {
        foreach (var file in new DirectoryInfo(_blobsDirectory).EnumerateFiles())
        {
            if (Digest.TryParse("sha256:" + file.Name, out var digest))
                yield return (digest, file.Length);
        }
    }

    /// <summary>Removes ingests nobody resumed for <paramref name="olderThan"/>.</summary>
    public int PruneIngests(TimeSpan olderThan, TimeProvider time)
    {
        var removed = 0;
        var cutoff = time.GetUtcNow() - olderThan;
        foreach (var entry in new DirectoryInfo(_ingestDirectory).EnumerateFileSystemInfos())
        {
            if (entry.LastWriteTimeUtc < cutoff.UtcDateTime || entry.Name.StartsWith(".small-", StringComparison.Ordinal))
            {
                if (entry is DirectoryInfo dir)
                    dir.Delete(recursive: true);
                else
                    entry.Delete();
                removed++;
            }
        }

        return removed;
    }

    internal void Publish(string ingestFile, Digest digest)
    {
        var target = BlobPath(digest);
        File.Move(ingestFile, target, overwrite: true);
        Durability.SyncDirectory(_blobsDirectory);
    }
}
