namespace Caisson.Daemon.Http2;

/// <summary>Receives the header fields of a block, in order, as <see cref="HpackDecoder"/> decodes them.</summary>
/// <remarks>The spans are valid only during the call.</remarks>
internal interface IHpackHeaderSink
{
    /// <param name="neverIndexed">The sender marked the field "never indexed" (RFC 7541 section 6.2.3), which an
    /// intermediary must preserve when it re-encodes the field.</param>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed);
}
