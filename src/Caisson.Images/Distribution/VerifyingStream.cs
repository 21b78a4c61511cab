using System.Security.Cryptography;
using Caisson.Core.Digests;

namespace Caisson.Images.Distribution;

/// <summary>
/// A read-only pass-through that hashes what it delivers and, at the end of the stream, fails unless exactly
/// <c>size</c> bytes with the expected digest went by. Reading past <c>size</c> fails at once.
/// </summary>
internal sealed class VerifyingStream(Stream inner, Digest expected, long size, string what, bool leaveOpen = false) : Stream
{
    private readonly IncrementalHash hash = ContentDigest.CreateHash(expected);
    private long delivered;
    private bool verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => size;

    public override long Position
    {
        get => delivered;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Account(buffer.Span[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Account(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            Verify();
            return;
        }

        delivered += chunk.Length;
        if (delivered > size)
            throw RegistryErrors.BadContent(what, $"more than the {size} bytes its descriptor declares");
        hash.AppendData(chunk);
    }

    private void Verify()
    {
        if (verified)
            return;
        if (delivered != size)
            throw RegistryErrors.BadContent(what, $"ended after {delivered} of {size} bytes");
        var actual = ContentDigest.FromHash(expected.Algorithm, hash.GetHashAndReset());
        if (actual != expected)
            throw RegistryErrors.DigestMismatch(what, expected, actual);
        verified = true;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
            if (!leaveOpen)
                inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        hash.Dispose();
        if (!leaveOpen)
            await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
