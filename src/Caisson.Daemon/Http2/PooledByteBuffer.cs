using System.Buffers;

namespace Caisson.Daemon.Http2;

/// <summary>A growable byte buffer on <see cref="ArrayPool{T}"/>, reused from one header block to the next.</summary>
internal sealed class PooledByteBuffer : IBufferWriter<byte>, IDisposable
{
    private const int MinimumCapacity = 256;

    private byte[] _array = [];
    private int _length;

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

    public void Write(ReadOnlySpan<byte> source)
    {
        source.CopyTo(GetSpan(source.Length));
        _length += source.Length;
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _array.Length - _length);
        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(sizeHint);
        return _array.AsSpan(_length);
    }

    /// <summary>Empties the buffer; an array grown past <paramref name="retainCapacity"/> by an unusually large
    /// block goes back to the pool rather than staying with a long-lived connection.</summary>
    public void Clear(int retainCapacity)
    {
        _length = 0;
        if (_array.Length > retainCapacity)
            ReturnArray();
    }

    public void Dispose()
    {
        _length = 0;
        ReturnArray();
    }

    private void EnsureFree(int sizeHint)
    {
        int needed = _length + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
            return;
        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(MinimumCapacity, _array.Length * 2)));
        WrittenSpan.CopyTo(larger);
        ReturnArray();
        _array = larger;
    }

    private void ReturnArray()
    {
        if (_array.Length > 0)
            ArrayPool<byte>.Shared.Return(_array);
        _array = [];
    }
}
