using System.Text;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Images.Content;

namespace Caisson.Tests.Images.Content;

public sealed class ContentStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("caisson-content-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static (Digest Digest, byte[] Bytes) Blob(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return (Digest.Sha256Of(bytes), bytes);
    }

    [Fact]
    public async Task StoresVerifiedBlobUnderItsDigest()
    {
        var store = new ContentStore(_root);
        var (digest, bytes) = Blob("hello layer");
        await store.WriteAsync(digest, bytes, CancellationToken.None);

        Assert.True(store.Exists(digest));
        Assert.Equal(bytes.Length, store.SizeOf(digest));
        Assert.Equal(Path.Combine(_root, "blobs", "sha256", digest.Hex), store.BlobPath(digest));
        Assert.Equal(bytes, await store.ReadAllAsync(digest, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, "ingest")));
    }

    [Fact]
    public async Task RefusesContentThatDoesNotMatchItsDigest()
    {
        var store = new ContentStore(_root);
        var (digest, _) = Blob("what the descriptor promised");
        var lie = Encoding.UTF8.GetBytes("what the registry sent instead");
        using var ingest = store.OpenIngest(digest, lie.Length);
        await ingest.WriteAsync(lie, CancellationToken.None);

        var error = Assert.Throws<CaissonException>(ingest.Commit);
        Assert.Contains("digest mismatch", error.Message, StringComparison.Ordinal);
        Assert.False(store.Exists(digest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, "ingest")));
    }

    [Fact]
    public async Task RefusesMoreBytesThanDeclaredAndShortContent()
    {
        var store = new ContentStore(_root);
        var (digest, bytes) = Blob("twelve bytes");
        using (var ingest = store.OpenIngest(digest, bytes.Length - 1))
        {
            await Assert.ThrowsAsync<CaissonException>(async () => await ingest.WriteAsync(bytes, CancellationToken.None));
        }

        using (var ingest = store.OpenIngest(digest, bytes.Length + 5))
        {
            ingest.Reset();
            await ingest.WriteAsync(bytes, CancellationToken.None);
            var error = Assert.Throws<CaissonException>(ingest.Commit);
            Assert.Contains("descriptor says", error.Message, StringComparison.Ordinal);
        }

        Assert.False(store.Exists(digest));
    }

    [Fact]
    public async Task ResumesAnIngestLeftByAnEarlierAttempt()
    {
        var (digest, bytes) = Blob(new string('x', 100_000) + "tail");
        {
            // First attempt: writes half, then "crashes" (disposed without commit).
            var store = new ContentStore(_root);
            using var ingest = store.OpenIngest(digest, bytes.Length);
            await ingest.WriteAsync(bytes.AsMemory(0, 60_000), CancellationToken.None);
        }

        {
            var store = new ContentStore(_root);
            using var ingest = store.OpenIngest(digest, bytes.Length);
            Assert.Equal(60_000, ingest.Offset);

            var replayed = new MemoryStream();
            var complete = await ingest.ReplayWrittenAsync(new byte[4096], chunk =>
            {
                replayed.Write(chunk.Span);
                return ValueTask.FromResult(true);
            }, CancellationToken.None);
            Assert.True(complete);
            Assert.Equal(bytes.AsSpan(0, 60_000).ToArray(), replayed.ToArray());

            await ingest.WriteAsync(bytes.AsMemory(60_000), CancellationToken.None);
            ingest.Commit();
            Assert.Equal(bytes, await store.ReadAllAsync(digest, CancellationToken.None));
        }
    }

    [Fact]
    public async Task RefusesASecondWriterOfTheSameBlob()
    {
        var store = new ContentStore(_root);
        var (digest, bytes) = Blob("contended");
        using var first = store.OpenIngest(digest, bytes.Length);
        await first.WriteAsync(bytes.AsMemory(0, 3), CancellationToken.None);

        var error = Assert.Throws<FailedPreconditionException>(() => store.OpenIngest(digest, bytes.Length));
        Assert.Contains("already in progress", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingBlobIsNotFound()
    {
        var store = new ContentStore(_root);
        var (digest, _) = Blob("absent");
        Assert.Throws<NotFoundException>(() => store.OpenRead(digest));
        Assert.Null(store.SizeOf(digest));
        Assert.False(store.Delete(digest));
    }

    [Fact]
    public void AtomicWriteReplacesWholeFileAndLeavesNoTemp()
    {
        var path = Path.Combine(_root, "state", "file.json");
        Durability.WriteAtomic(path, "first");
        Durability.WriteAtomic(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
