using System.Buffers;

namespace Caisson.Daemon.Http2;

/// <summary>An HPACK decoder (RFC 7541) for one direction of one connection: it keeps that sender's dynamic table
/// across header blocks, so every block of the connection must pass through it, in order.</summary>
/// <remarks>
/// Header field contents are not validated here (that is the server's job); only the encoding is. Limits guard
/// memory: the table never grows past what was advertised, and a block may not decode to more than
/// <c>maxHeaderListSize</c> octets (RFC 7540 accounting: name + value + 32 per field), which stops a small block of
/// indexed references from expanding into a huge header list.
/// </remarks>
internal sealed class HpackDecoder
{
    private readonly HpackDynamicTable _dynamicTable;
    private readonly int _maxTableSize;
    private readonly int _maxHeaderListSize;

    /// <param name="maxTableSize">The SETTINGS_HEADER_TABLE_SIZE the receiver advertised.</param>
    /// <param name="maxHeaderListSize">The most a block may decode to.</param>
    public HpackDecoder(int maxTableSize = 4096, int maxHeaderListSize = 64 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTableSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxHeaderListSize);
        _maxTableSize = maxTableSize;
        _maxHeaderListSize = maxHeaderListSize;
        _dynamicTable = new HpackDynamicTable(maxTableSize);
    }

    /// <summary>The sender's dynamic table as it stands after the blocks decoded so far.</summary>
    public HpackDynamicTable DynamicTable => _dynamicTable;

    /// <summary>Decodes one complete header block, passing each field to <paramref name="sink"/>.</summary>
    /// <exception cref="HpackDecodingException">Malformed or over a limit; the table may then be half-updated, so
    /// the connection must end (as HTTP/2 requires for a COMPRESSION_ERROR).</exception>
    public void Decode(ReadOnlySpan<byte> block, IHpackHeaderSink sink)
    {
        // Huffman-decoded names and values land here; all strings of the block together cannot decode to more.
        byte[] scratch = ArrayPool<byte>.Shared.Rent(HuffmanDecoder.GetMaxDecodedLength(block.Length) + 1);
        try
        {
            DecodeFields(block, sink, scratch);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private void DecodeFields(ReadOnlySpan<byte> block, IHpackHeaderSink sink, Span<byte> scratch)
    {
        int position = 0;
        int scratchUsed = 0;
        long listSize = 0;
        bool fieldSeen = false;
        while (position < block.Length)
        {
            byte first = block[position];
            ReadOnlySpan<byte> name;
            ReadOnlySpan<byte> value;
            bool neverIndexed = false;
            bool addToTable = false;
            if ((first & 0x80) != 0)
            {
                // 6.1 Indexed header field.
                int index = ReadInteger(block, ref position, 7);
                if (index == 0)
                    throw new HpackDecodingException("Indexed header field with index 0.");
                GetEntry(index, out name, out value);
            }
            else if ((first & 0x20) != 0 && (first & 0x40) == 0)
            {
                // 6.3 Dynamic table size update: only before the first field of a block (section 4.2).
                if (fieldSeen)
                    throw new HpackDecodingException("Dynamic table size update after a header field.");
                int newSize = ReadInteger(block, ref position, 5);
                if (newSize > _maxTableSize)
                    throw new HpackDecodingException(
                        $"Dynamic table size update to {newSize} exceeds the advertised {_maxTableSize}.");
                _dynamicTable.Resize(newSize);
                continue;
            }
            else
            {
                // 6.2.1 with incremental indexing (01xxxxxx, 6-bit index); 6.2.2 without indexing (0000xxxx) and
                // 6.2.3 never indexed (0001xxxx), both with a 4-bit index.
                addToTable = (first & 0x40) != 0;
                neverIndexed = !addToTable && (first & 0x10) != 0;
                int nameIndex = ReadInteger(block, ref position, addToTable ? 6 : 4);
                if (nameIndex == 0)
                    name = ReadString(block, ref position, scratch, ref scratchUsed);
                else
                    GetEntry(nameIndex, out name, out _);
                value = ReadString(block, ref position, scratch, ref scratchUsed);
            }

            fieldSeen = true;
            listSize += name.Length + value.Length + HpackDynamicTable.EntryOverhead;
            if (listSize > _maxHeaderListSize)
                throw new HpackDecodingException($"Header list exceeds {_maxHeaderListSize} octets.");
            sink.OnHeader(name, value, neverIndexed);
            if (addToTable)
                _dynamicTable.Insert(name, value);
        }
    }

    private void GetEntry(int index, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        if (index <= HpackStaticTable.Count)
        {
            name = HpackStaticTable.GetName(index);
            value = HpackStaticTable.GetValue(index);
            return;
        }

        int dynamicIndex = index - HpackStaticTable.Count - 1;
        if (dynamicIndex >= _dynamicTable.Count)
            throw new HpackDecodingException(
                $"Header table index {index} is beyond the {_dynamicTable.Count} dynamic entries.");
        HpackDynamicTable.Entry entry = _dynamicTable[dynamicIndex];
        name = entry.Name;
        value = entry.Value;
    }

    /// <summary>RFC 7541 section 5.1: an integer in the low <paramref name="prefixBits"/> bits of the current octet,
    /// continued in 7-bit groups when the prefix is all ones. Values past int.MaxValue are rejected.</summary>
    internal static int ReadInteger(ReadOnlySpan<byte> block, ref int position, int prefixBits)
    {
        int prefixMax = (1 << prefixBits) - 1;
        int value = block[position++] & prefixMax;
        if (value < prefixMax)
            return value;

        long total = value;
        for (int shift = 0; ; shift += 7)
        {
            if (position >= block.Length)
                throw new HpackDecodingException("Header block ends inside an integer.");
            if (shift > 28)
                throw new HpackDecodingException("Integer is too long.");
            byte octet = block[position++];
            total += (long)(octet & 0x7F) << shift;
            if (total > int.MaxValue)
                throw new HpackDecodingException("Integer exceeds the supported range.");
            if ((octet & 0x80) == 0)
                return (int)total;
        }
    }

    /// <summary>RFC 7541 section 5.2: H flag and 7-bit-prefix length, then the octets, Huffman-coded if H.</summary>
    private static ReadOnlySpan<byte> ReadString(
        ReadOnlySpan<byte> block, scoped ref int position, Span<byte> scratch, scoped ref int scratchUsed)
    {
        if (position >= block.Length)
            throw new HpackDecodingException("Header block ends before a string literal.");
        bool huffman = (block[position] & 0x80) != 0;
        int length = ReadInteger(block, ref position, 7);
        if (length > block.Length - position)
            throw new HpackDecodingException($"String literal of {length} octets overruns the header block.");

        ReadOnlySpan<byte> raw = block.Slice(position, length);
        position += length;
        if (!huffman)
            return raw;

        int decoded = HuffmanDecoder.Decode(raw, scratch[scratchUsed..]);
        ReadOnlySpan<byte> result = scratch.Slice(scratchUsed, decoded);
        scratchUsed += decoded;
        return result;
    }
}
