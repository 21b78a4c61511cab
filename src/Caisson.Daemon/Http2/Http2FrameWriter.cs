using System.Buffers;

namespace Caisson.Daemon.Http2;

/// <summary>Writes the frames the rewriter produces: a header block as HEADERS plus CONTINUATIONs.</summary>
internal static class Http2FrameWriter
{
    /// <summary>Writes <paramref name="block"/> as one HEADERS frame and as many CONTINUATION frames as needed so that
    /// no payload exceeds <paramref name="maxFrameSize"/>; END_HEADERS goes on the last frame.</summary>
    /// <param name="priority">Empty, or the 5-octet PRIORITY fields (exclusive bit + dependency, weight), which then
    /// lead the HEADERS payload with the PRIORITY flag.</param>
    public static void WriteHeaderBlock(
        IBufferWriter<byte> output,
        int streamId,
        bool endStream,
        ReadOnlySpan<byte> priority,
        ReadOnlySpan<byte> block,
        int maxFrameSize)
    {
        if (priority.Length is not (0 or 5))
            throw new ArgumentException("PRIORITY fields are 5 octets.", nameof(priority));
        if (maxFrameSize <= priority.Length)
            throw new ArgumentOutOfRangeException(nameof(maxFrameSize));

        int firstFragment = Math.Min(block.Length, maxFrameSize - priority.Length);
        byte flags = (byte)((endStream ? Http2FrameFlags.EndStream : 0)
            | (priority.IsEmpty ? 0 : Http2FrameFlags.Priority)
            | (firstFragment == block.Length ? Http2FrameFlags.EndHeaders : 0));
        WriteFrame(output, new Http2FrameHeader(priority.Length + firstFragment, Http2FrameType.Headers, flags, streamId),
            priority, block[..firstFragment]);

        ReadOnlySpan<byte> rest = block[firstFragment..];
        while (!rest.IsEmpty)
        {
            int fragment = Math.Min(rest.Length, maxFrameSize);
            byte continuationFlags = fragment == rest.Length ? Http2FrameFlags.EndHeaders : (byte)0;
            WriteFrame(output, new Http2FrameHeader(fragment, Http2FrameType.Continuation, continuationFlags, streamId),
                [], rest[..fragment]);
            rest = rest[fragment..];
        }
    }

    /// <summary>Writes one frame whose payload is <paramref name="first"/> followed by <paramref name="second"/>.</summary>
    public static void WriteFrame(
        IBufferWriter<byte> output, Http2FrameHeader header, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        // Piecewise writes let a large payload span several pipe segments.
        Span<byte> headerBytes = stackalloc byte[Http2FrameHeader.Size];
        header.Write(headerBytes);
        output.Write(headerBytes);
        output.Write(first);
        output.Write(second);
    }
}
