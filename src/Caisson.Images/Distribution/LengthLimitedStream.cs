using Caisson.Core.Errors;

namespace Caisson.Images.Distribution;

/// <summary>
/// Reads exactly <c>length</c> bytes of a caller's stream for an upload: fails if it ends early, stops at the
/// length, and leaves the caller's stream open (HttpContent disposes what it sends).
/// </summary>
internal sealed class LengthLimitedStream(Stream inner, long length) : ReadOnlyStream
{
    private long consumed;

    public override long Length => length;

    protected override long BytesRead => consumed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (consumed == length || buffer.IsEmpty)
            return 0;
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - consumed)], cancellationToken);
        return Account(read);
    }

    private int Account(int read)
    {
        if (read == 0)
            throw new InvalidArgumentException($"the content to upload ended after {consumed} of {length} bytes");
        consumed += read;
        return read;
    }
}
