using System.Buffers;

namespace Caisson.Daemon.Http2;

/// <summary>Encodes header fields as HPACK literals with a literal name and no Huffman coding (RFC 7541 sections
/// 6.2.2 and 6.2.3).</summary>
/// <remarks>Such fields neither read nor change the receiver's dynamic table, so a rewritten block decodes the same
/// whatever state the receiver's table is in.</remarks>
internal static class HpackLiteralEncoder
{
    private const byte WithoutIndexing = 0x00;
    private const byte NeverIndexed = 0x10;

    // A 7-bit-prefix integer up to int.MaxValue takes at most 1 + 5 octets.
    private const int MaxIntegerLength = 6;

    public static void WriteField(
        IBufferWriter<byte> destination, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
    {
        int maxLength = 1 + (2 * MaxIntegerLength) + name.Length + value.Length;
        Span<byte> span = destination.GetSpan(maxLength);
        int written = 0;
        // Index 0 in the 4-bit prefix: the name follows as a literal.
        span[written++] = neverIndexed ? NeverIndexed : WithoutIndexing;
        written += WriteString(span[written..], name);
        written += WriteString(span[written..], value);
        destination.Advance(written);
    }

    /// <summary>RFC 7541 section 5.1, into the low <paramref name="prefixBits"/> bits of the first octet, whose
    /// high bits are <paramref name="pattern"/>. Returns the octets written.</summary>
    public static int WriteInteger(Span<byte> destination, int value, int prefixBits, byte pattern)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        int prefixMax = (1 << prefixBits) - 1;
        if (value < prefixMax)
        {
            destination[0] = (byte)(pattern | value);
            return 1;
        }

        destination[0] = (byte)(pattern | prefixMax);
        int written = 1;
        uint rest = (uint)(value - prefixMax);
        while (rest >= 0x80)
        {
            destination[written++] = (byte)(rest | 0x80);
            rest >>= 7;
        }

        destination[written++] = (byte)rest;
        return written;
    }

    private static int WriteString(Span<byte> destination, ReadOnlySpan<byte> text)
    {
        int written = WriteInteger(destination, text.Length, 7, pattern: 0x00);
        text.CopyTo(destination[written..]);
        return written + text.Length;
    }
}
