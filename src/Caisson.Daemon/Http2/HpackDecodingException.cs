namespace Caisson.Daemon.Http2;

/// <summary>A header block that is not valid HPACK or exceeds our limits; HTTP/2 calls this a COMPRESSION_ERROR,
/// which ends the connection.</summary>
internal sealed class HpackDecodingException : Exception
{
    public HpackDecodingException(string message)
        : base(message)
    {
    }
}
