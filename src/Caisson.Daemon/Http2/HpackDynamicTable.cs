namespace Caisson.Daemon.Http2;

/// <summary>The HPACK dynamic table (RFC 7541 sections 2.3.2 and 4): newest entry first, sized by the RFC's
/// accounting (name + value + 32 octets), oldest entries evicted to stay within the maximum size.</summary>
internal sealed class HpackDynamicTable
{
    /// <summary>RFC 7541 section 4.1: the per-entry overhead counted in the table size.</summary>
    public const int EntryOverhead = 32;

    // A ring: _oldest is the slot of the oldest entry, the newest is _count - 1 slots after it.
    private readonly Entry[] _entries;
    private readonly int _maxAllowedSize;
    private int _oldest;
    private int _count;

    /// <param name="maxSize">The largest size the table may ever be set to (what the decoder advertised).</param>
    public HpackDynamicTable(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        _entries = new Entry[(maxSize / EntryOverhead) + 1];
        _maxAllowedSize = maxSize;
        MaxSize = maxSize;
    }

    public int Count => _count;

    /// <summary>Current size in octets, by the RFC's accounting.</summary>
    public int Size { get; private set; }

    public int MaxSize { get; private set; }

    /// <param name="index">0 is the newest entry.</param>
    public Entry this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_count)
                throw new ArgumentOutOfRangeException(nameof(index));
            return _entries[(_oldest + _count - 1 - index) % _entries.Length];
        }
    }

    /// <summary>Adds a field as the newest entry, evicting as needed; a field larger than the whole table empties it
    /// and is not added (RFC 7541 section 4.4). The name may point into an entry that gets evicted.</summary>
    public void Insert(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        long entrySize = (long)name.Length + value.Length + EntryOverhead;
        if (entrySize > MaxSize)
        {
            EvictUntil(0);
            return;
        }

        // Copy first: eviction may drop the entry that name refers to.
        var data = new byte[name.Length + value.Length];
        name.CopyTo(data);
        value.CopyTo(data.AsSpan(name.Length));

        EvictUntil(MaxSize - (int)entrySize);
        _entries[(_oldest + _count) % _entries.Length] = new Entry(data, name.Length);
        _count++;
        Size += (int)entrySize;
    }

    /// <summary>Applies a dynamic table size update; the caller checks it against the advertised maximum.</summary>
    public void Resize(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSize, _maxAllowedSize);
        MaxSize = maxSize;
        EvictUntil(maxSize);
    }

    private void EvictUntil(int targetSize)
    {
        while (Size > targetSize)
        {
            Size -= _entries[_oldest].Size;
            _entries[_oldest] = default;
            _oldest = (_oldest + 1) % _entries.Length;
            _count--;
        }
    }

    /// <summary>One field; name and value share one array.</summary>
    internal readonly struct Entry(byte[] data, int nameLength)
    {
        public ReadOnlySpan<byte> Name => data.AsSpan(0, nameLength);

        public ReadOnlySpan<byte> Value => data.AsSpan(nameLength);

        public int Size => data.Length + EntryOverhead;
    }
}
