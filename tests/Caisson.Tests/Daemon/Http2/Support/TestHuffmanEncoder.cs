using Caisson.Daemon.Http2;

namespace Caisson.Tests.Daemon.Http2.Support;

/// <summary>Huffman-encodes with the RFC 7541 table, padding with the most significant bits of EOS (ones).</summary>
internal static class TestHuffmanEncoder
{
    public static byte[] Encode(ReadOnlySpan<byte> text)
    {
        var output = new List<byte>();
        ulong bits = 0;
        int bitCount = 0;
        foreach (byte symbol in text)
        {
            int length = HuffmanTable.CodeLengths[symbol];
            bits = (bits << length) | HuffmanTable.Codes[symbol];
            bitCount += length;
            while (bitCount >= 8)
            {
                bitCount -= 8;
                output.Add((byte)(bits >> bitCount));
            }
        }

        if (bitCount > 0)
            output.Add((byte)((bits << (8 - bitCount)) | (0xFFu >> bitCount)));
        return [.. output];
    }
}
