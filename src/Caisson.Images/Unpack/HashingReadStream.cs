using System.Security.Cryptography;

namespace Caisson.Images.Unpack;

/// <summary>Passes reads through, hashing (sha256) and counting every byte that goes by.</summary>
internal sealed class HashingReadStream(Stream source) : ReadOnlyStream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    /// <summary>The sha256 of everything read so far.</summary>
    public byte[] GetHash() => hash.GetCurrentHash();

    public override int Read(Span<byte> buffer)
    {
        var read = source.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken);
        Account(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            hash.Dispose();
        base.Dispose(disposing);
    }

    private void Account(ReadOnlySpan<byte> data)
    {
        hash.AppendData(data);
        BytesRead += data.Length;
    }
}
