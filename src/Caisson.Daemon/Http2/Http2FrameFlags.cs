namespace Caisson.Daemon.Http2;

/// <summary>HTTP/2 frame flags (RFC 9113 section 6); their meaning depends on the frame type, hence constants
/// rather than one enum (END_STREAM and ACK share a bit).</summary>
internal static class Http2FrameFlags
{
    public const byte EndStream = 0x01;
    public const byte Ack = 0x01;
    public const byte EndHeaders = 0x04;
    public const byte Padded = 0x08;
    public const byte Priority = 0x20;
}
