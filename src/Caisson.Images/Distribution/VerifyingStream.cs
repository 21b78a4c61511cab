using System.Security.Cryptography;
using Caisson.Core.Digests;

namespace Caisson.Images.Distribution;

/// <summary>
/// A read-only pass-through that hashes what it delivers and, at the end of the stream, fails unless exactly
/// <c>size</c> bytes with the expected digest went by. Reading past <c>size</c> fails at once.
/// </summary>
internal sealed class VerifyingStream(Stream inner, Digest expected, long size, string what, bool leaveOpen = false) : ReadOnlyStream
{
    private readonly IncrementalHash hash = ContentDigest.CreateHash(expected);
    private long delivered;
    private bool verified;

    public override long Length => size;

    protected override long BytesRead => delivered;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
            return 0;
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Account(buffer.Span[..read]);
        return read;
    }

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
