using System.Security.Cryptography;
using Caisson.Core.Digests;
using Caisson.Core.Errors;

namespace Caisson.Images.Content;

/// <summary>
/// One blob being written. Hashes as it writes; <see cref="Commit"/> verifies size and digest, fsyncs and renames.
/// Ingests are keyed by the expected digest, so a second writer of the same blob is refused while one is active.
/// </summary>
public sealed class ContentIngest : IDisposable
{
    private readonly ContentStore _store;
    private readonly string _directory;
    private readonly string _dataPath;
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _committed;

    private ContentIngest(ContentStore store, string directory, Digest expected, long expectedSize, FileStream file)
    {
        _store = store;
        _directory = directory;
        _dataPath = file.Name;
        Expected = expected;
        ExpectedSize = expectedSize;
        _file = file;
    }

    public Digest Expected { get; }

    public long ExpectedSize { get; }

    /// <summary>Bytes already written: where the download continues.</summary>
    public long Offset { get; private set; }

    internal static ContentIngest Open(ContentStore store, string directory, Digest expected, long expectedSize)
    {
        Directory.CreateDirectory(directory);
        var dataPath = Path.Combine(directory, "data");
        FileStream file;
        try
        {
            // FileShare.None takes flock(LOCK_EX): a second writer of the same blob (another process too) is refused.
            file = new FileStream(dataPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 0);
        }
        catch (IOException e)
        {
            throw new FailedPreconditionException($"ingest of {expected} is already in progress", e);
        }

        var ingest = new ContentIngest(store, directory, expected, expectedSize, file);
        ingest.ResumeFromExisting();
        return ingest;
    }

    private void ResumeFromExisting()
    {
        // A previous attempt's bytes are only trusted up to the expected size; the hash is rebuilt from them.
        if (_file.Length > ExpectedSize)
            _file.SetLength(0);
        var buffer = new byte[1 << 20];
        _file.Position = 0;
        int read;
        while ((read = _file.Read(buffer)) > 0)
            _hash.AppendData(buffer, 0, read);
        Offset = _file.Length;
        _file.Position = Offset;
    }

    /// <summary>Discards whatever was written so far.</summary>
    public void Reset()
    {
        _file.SetLength(0);
        _file.Position = 0;
        _hash.GetHashAndReset();
        Offset = 0;
    }

    /// <summary>
    /// Hands what is already written, in order, to <paramref name="sink"/> (for a consumer that needs the blob from
    /// its start); stops early when the sink returns false. Returns whether the sink took everything.
    /// </summary>
    public async Task<bool> ReplayWrittenAsync(Memory<byte> buffer, Func<ReadOnlyMemory<byte>, ValueTask<bool>> sink, CancellationToken cancellationToken)
    {
        long position = 0;
        while (position < Offset)
        {
            var wanted = (int)Math.Min(buffer.Length, Offset - position);
            var read = await RandomAccess.ReadAsync(_file.SafeFileHandle, buffer[..wanted], position, cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new CaissonException(ErrorKind.Internal, $"ingest of {Expected} shrank while being replayed");
            position += read;
            if (!await sink(buffer[..read]).ConfigureAwait(false))
                return false;
        }

        return true;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (Offset + data.Length > ExpectedSize)
        {
            throw new CaissonException(ErrorKind.Internal,
                $"content {Expected}: more data than the {ExpectedSize} bytes the descriptor declares");
        }

        _hash.AppendData(data.Span);
        await _file.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        Offset += data.Length;
    }

    /// <summary>Verifies and publishes the blob. On a mismatch the partial data is discarded.</summary>
    public void Commit()
    {
        if (Offset != ExpectedSize)
        {
            Discard();
            throw new CaissonException(ErrorKind.Internal,
                $"content {Expected}: got {Offset} bytes, descriptor says {ExpectedSize}");
        }

        var actual = Digest.FromSha256Hash(_hash.GetHashAndReset());
        if (actual != Expected)
        {
            Discard();
            throw new CaissonException(ErrorKind.Internal, $"content digest mismatch: expected {Expected}, got {actual}");
        }

        _file.Flush(flushToDisk: true);
        _file.Dispose();
        _store.Publish(_dataPath, Expected);
        _committed = true;
        TryDeleteDirectory();
    }

    private void Discard()
    {
        _file.Dispose();
        TryDeleteDirectory();
        _committed = true;
    }

    private void TryDeleteDirectory()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public void Dispose()
    {
        if (!_committed)
        {
            // Keep the partial data: a later attempt resumes from it.
            _file.Flush(flushToDisk: false);
            _file.Dispose();
        }

        _hash.Dispose();
    }
}
