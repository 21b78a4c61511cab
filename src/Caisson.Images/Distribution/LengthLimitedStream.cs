using Caisson.Core.Errors;

namespace Caisson.Images.Distribution;

/// <summary>
/// Reads exactly <c>length</c> bytes of a caller's stream for an upload: fails if it ends early, stops at the
/// length, and leaves the caller's stream open (HttpContent disposes what it sends).
/// </summary>
internal sealed class LengthLimitedStream(Stream inner, long length) : Stream
{
    private long consumed;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => consumed;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (consumed == length || buffer.IsEmpty)
            return 0;
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - consumed)], cancellationToken);
        return Account(read);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (consumed == length || count == 0)
            return 0;
        return Account(inner.Read(buffer, offset, (int)Math.Min(count, length - consumed)));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Account(int read)
    {
        if (read == 0)
            throw new InvalidArgumentException($"the content to upload ended after {consumed} of {length} bytes");
        consumed += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
