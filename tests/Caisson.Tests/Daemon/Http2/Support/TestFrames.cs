using System.Buffers.Binary;
using Caisson.Daemon.Http2;

namespace Caisson.Tests.Daemon.Http2.Support;

/// <summary>Builds and splits raw HTTP/2 frames for tests.</summary>
internal static class TestFrames
{
    public static byte[] Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static byte[] Frame(Http2FrameType type, byte flags, int streamId, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[Http2FrameHeader.Size + payload.Length];
        new Http2FrameHeader(payload.Length, type, flags, streamId).Write(frame);
        payload.CopyTo(frame.AsSpan(Http2FrameHeader.Size));
        return frame;
    }

    public static byte[] Settings(params (ushort Id, uint Value)[] settings)
    {
        var payload = new byte[6 * settings.Length];
        for (int i = 0; i < settings.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(6 * i), settings[i].Id);
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan((6 * i) + 2), settings[i].Value);
        }

        return Frame(Http2FrameType.Settings, 0, 0, payload);
    }

    public static byte[] SettingsAck() => Frame(Http2FrameType.Settings, Http2FrameFlags.Ack, 0, []);

    public static byte[] Headers(int streamId, ReadOnlySpan<byte> fragment, bool endStream, bool endHeaders = true) =>
        Frame(Http2FrameType.Headers,
            (byte)((endStream ? Http2FrameFlags.EndStream : 0) | (endHeaders ? Http2FrameFlags.EndHeaders : 0)),
            streamId, fragment);

    public static byte[] Continuation(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders) =>
        Frame(Http2FrameType.Continuation, endHeaders ? Http2FrameFlags.EndHeaders : (byte)0, streamId, fragment);

    public static byte[] Data(int streamId, ReadOnlySpan<byte> payload, bool endStream) =>
        Frame(Http2FrameType.Data, endStream ? Http2FrameFlags.EndStream : (byte)0, streamId, payload);

    /// <summary>A gRPC message on the wire: uncompressed flag, 32-bit big-endian length, the message.</summary>
    public static byte[] GrpcMessage(ReadOnlySpan<byte> message)
    {
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed.AsSpan(5));
        return framed;
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>Splits a byte stream into frames; the stream must end on a frame boundary.</summary>
    public static List<(Http2FrameHeader Header, byte[] Payload)> Split(ReadOnlySpan<byte> bytes)
    {
        var frames = new List<(Http2FrameHeader, byte[])>();
        while (!bytes.IsEmpty)
        {
            var header = Http2FrameHeader.Read(bytes);
            frames.Add((header, bytes.Slice(Http2FrameHeader.Size, header.Length).ToArray()));
            bytes = bytes[(Http2FrameHeader.Size + header.Length)..];
        }

        return frames;
    }
}
