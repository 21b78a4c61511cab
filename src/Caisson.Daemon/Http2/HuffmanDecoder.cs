namespace Caisson.Daemon.Http2;

/// <summary>Decodes HPACK Huffman-coded string literals (RFC 7541 section 5.2).</summary>
/// <remarks>
/// Canonical decoding: codes of one length form a contiguous range, and left-aligned those ranges ascend with the
/// length. So a 32-bit window of the input, compared against the left-aligned upper bound of each length's range,
/// yields the code length in a few comparisons (common symbols are 5 to 8 bits long), and the offset into that
/// range yields the symbol. The tables are derived once from <see cref="HuffmanTable"/>.
/// </remarks>
internal static class HuffmanDecoder
{
    // Per code length (index = length): exclusive upper bound of the left-aligned codes of that length or shorter,
    // the first right-aligned code of that length, and where its symbols start in SymbolsByCode.
    private static readonly ulong[] LeftAlignedLimit = new ulong[HuffmanTable.MaxCodeLength + 1];
    private static readonly uint[] FirstCode = new uint[HuffmanTable.MaxCodeLength + 1];
    private static readonly int[] FirstSymbolIndex = new int[HuffmanTable.MaxCodeLength + 1];
    private static readonly ushort[] SymbolsByCode = new ushort[HuffmanTable.SymbolCount];

#pragma warning disable CA1810 // the tables depend on each other; one constructor builds them together
    static HuffmanDecoder()
#pragma warning restore CA1810
    {
        ReadOnlySpan<byte> lengths = HuffmanTable.CodeLengths;
        var countPerLength = new int[HuffmanTable.MaxCodeLength + 1];
        foreach (byte length in lengths)
            countPerLength[length]++;

        uint code = 0;
        int symbolIndex = 0;
        for (int length = 1; length <= HuffmanTable.MaxCodeLength; length++)
        {
            code <<= 1;
            FirstCode[length] = code;
            FirstSymbolIndex[length] = symbolIndex;
            code += (uint)countPerLength[length];
            symbolIndex += countPerLength[length];
            LeftAlignedLimit[length] = (ulong)code << (32 - length);
        }

        // Symbols ordered by (length, symbol) are in code order because the code is canonical.
        var next = (int[])FirstSymbolIndex.Clone();
        for (int symbol = 0; symbol < HuffmanTable.SymbolCount; symbol++)
            SymbolsByCode[next[lengths[symbol]]++] = (ushort)symbol;
    }

    /// <summary>The most bytes <paramref name="encodedLength"/> encoded bytes can decode to (5-bit codes).</summary>
    public static int GetMaxDecodedLength(int encodedLength) => (int)(encodedLength * 8L / HuffmanTable.MinCodeLength);

    /// <summary>Decodes <paramref name="source"/> into <paramref name="destination"/> and returns the byte count.</summary>
    /// <exception cref="HpackDecodingException">EOS inside the string, padding longer than 7 bits or not all ones,
    /// or a destination too small.</exception>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        ulong bits = 0;
        int bitCount = 0;
        int written = 0;
        foreach (byte octet in source)
        {
            bits = (bits << 8) | octet;
            bitCount += 8;
            // With at least MaxCodeLength bits buffered a whole code is always available.
            while (bitCount >= HuffmanTable.MaxCodeLength)
                bitCount -= DecodeSymbol(bits, bitCount, destination, ref written);
        }

        while (bitCount >= HuffmanTable.MinCodeLength)
        {
            int length = FindCodeLength(Window(bits, bitCount));
            if (length > bitCount)
                break;
            bitCount -= DecodeSymbol(bits, bitCount, destination, ref written);
        }

        // What is left must be padding: fewer than 8 bits, all ones (the most significant bits of EOS).
        ulong padMask = (1UL << bitCount) - 1;
        if (bitCount >= 8 || (bits & padMask) != padMask)
            throw new HpackDecodingException("Huffman string has invalid padding.");
        return written;
    }

    private static int DecodeSymbol(ulong bits, int bitCount, Span<byte> destination, ref int written)
    {
        uint window = Window(bits, bitCount);
        int length = FindCodeLength(window);
        int symbol = SymbolsByCode[FirstSymbolIndex[length] + (int)((window >> (32 - length)) - FirstCode[length])];
        if (symbol == HuffmanTable.EndOfStringSymbol)
            throw new HpackDecodingException("Huffman string contains the EOS symbol.");
        if (written >= destination.Length)
            throw new HpackDecodingException("Huffman string decodes to more bytes than expected.");
        destination[written++] = (byte)symbol;
        return length;
    }

    // The next 32 bits of input, left-aligned, zero-filled past the end; bitCount is 1..64.
    private static uint Window(ulong bits, int bitCount) => (uint)((bits << (64 - bitCount)) >> 32);

    private static int FindCodeLength(uint window)
    {
        int length = HuffmanTable.MinCodeLength;
        while (window >= LeftAlignedLimit[length])
            length++;
        return length;
    }
}
