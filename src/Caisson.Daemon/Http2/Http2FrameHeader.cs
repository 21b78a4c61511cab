using System.Buffers.Binary;

namespace Caisson.Daemon.Http2;

/// <summary>The 9-octet HTTP/2 frame header (RFC 9113 section 4.1): 24-bit payload length, type, flags, and a
/// 31-bit stream id after a reserved bit.</summary>
internal readonly record struct Http2FrameHeader(int Length, Http2FrameType Type, byte Flags, int StreamId)
{
    public const int Size = 9;

    /// <summary>The largest payload the 24-bit length field can carry.</summary>
    public const int MaxLength = (1 << 24) - 1;

    public bool HasFlag(byte flag) => (Flags & flag) != 0;

    public static Http2FrameHeader Read(ReadOnlySpan<byte> source)
    {
        int length = (source[0] << 16) | (source[1] << 8) | source[2];
        // The reserved bit is ignored on receipt.
        int streamId = (int)(BinaryPrimitives.ReadUInt32BigEndian(source[5..]) & 0x7FFF_FFFF);
        return new Http2FrameHeader(length, (Http2FrameType)source[3], source[4], streamId);
    }

    public void Write(Span<byte> destination)
    {
        if ((uint)Length > MaxLength)
            throw new InvalidOperationException($"HTTP/2 frame payload of {Length} octets does not fit in 24 bits.");
        destination[0] = (byte)(Length >> 16);
        destination[1] = (byte)(Length >> 8);
        destination[2] = (byte)Length;
        destination[3] = (byte)Type;
        destination[4] = Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], (uint)StreamId & 0x7FFF_FFFF);
    }
}
