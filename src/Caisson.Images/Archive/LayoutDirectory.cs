using System.Collections.Concurrent;
using System.Security.Cryptography;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Images.Content;

namespace Caisson.Images.Archive;

/// <summary>
/// An OCI image layout (or an unpacked docker save) as a directory on this machine. Its files are copied into
/// the content store through a verified ingest; links are refused so the layout cannot point the daemon at
/// files outside it.
/// </summary>
internal sealed class LayoutDirectory : IArchiveSource
{
    private readonly string _root;
    private readonly ConcurrentDictionary<string, Digest> _digests = new(StringComparer.Ordinal);

    public LayoutDirectory(string root)
    {
        if (string.IsNullOrWhiteSpace(root))
            throw new InvalidArgumentException("no OCI layout directory given");
        _root = Path.GetFullPath(root);
        var info = new DirectoryInfo(_root);
        if (!info.Exists)
            throw new NotFoundException($"OCI layout directory {_root} does not exist");
        if (info.LinkTarget is not null)
            throw new InvalidArgumentException($"OCI layout directory {_root} is a symbolic link; give its target");
        Description = $"OCI layout {_root}";
    }

    public string Description { get; }

    public bool Contains(string name) => Find(name) is not null;

    public long SizeOf(string name) => Get(name).Length;

    public Stream OpenRead(string name) =>
        new FileStream(Get(name).FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    public async ValueTask<Digest> DigestOfAsync(string name, CancellationToken cancellationToken)
    {
        if (_digests.TryGetValue(name, out var known))
            return known;
        var file = OpenRead(name);
        await using (file.ConfigureAwait(false))
        {
            var digest = Digest.FromSha256Hash(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
            _digests[name] = digest;
            return digest;
        }
    }

    public async Task PublishAsync(string name, Digest digest, ContentStore content, CancellationToken cancellationToken)
    {
        if (content.Exists(digest))
            return;
        var source = OpenRead(name);
        await using (source.ConfigureAwait(false))
        {
            using var ingest = content.OpenIngest(digest, source.Length);
            ingest.Reset();
            var buffer = new byte[1 << 20];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                await WriteAsync(ingest, name, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            try
            {
                ingest.Commit();
            }
            catch (CaissonException e) when (e.Kind == ErrorKind.Internal)
            {
                throw new InvalidArgumentException($"{Description}: {name}: {e.Message}", e);
            }
        }
    }

    private async Task WriteAsync(ContentIngest ingest, string name, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await ingest.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch (CaissonException e) when (e.Kind == ErrorKind.Internal)
        {
            throw new InvalidArgumentException($"{Description}: {name} changed while it was read: {e.Message}", e);
        }
    }

    private FileInfo Get(string name) =>
        Find(name) ?? throw new InvalidArgumentException($"\"{name}\" is not in {Description}");

    /// <summary>The regular file under the root with this name; null when absent. Links on the way are refused.</summary>
    private FileInfo? Find(string name)
    {
        var current = _root;
        var parts = ArchivePath.Normalize(name, "file").Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            current = Path.Combine(current, parts[i]);
            FileSystemInfo info = i == parts.Length - 1 ? new FileInfo(current) : new DirectoryInfo(current);
            if (info.LinkTarget is not null)
                throw new InvalidArgumentException($"{Description}: \"{name}\" refused: {current} is a symbolic link");
            if (!info.Exists)
                return null;
        }

        return new FileInfo(current);
    }
}
