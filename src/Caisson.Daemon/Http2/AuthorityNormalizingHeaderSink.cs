using System.Text;

namespace Caisson.Daemon.Http2;

/// <summary>Re-encodes each decoded field as a literal into <see cref="Encoded"/>, replacing an <c>:authority</c> or
/// <c>host</c> value that is not a plain <c>host[:port]</c> with <c>localhost</c>.</summary>
internal sealed class AuthorityNormalizingHeaderSink : IHpackHeaderSink, IDisposable
{
    private const int MaxLoggedLength = 256;

    public PooledByteBuffer Encoded { get; } = new();

    /// <summary>The first value replaced on this connection, kept for one log line; null until then.</summary>
    public string? FirstReplacedValue { get; private set; }

    public void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, bool neverIndexed)
    {
        if ((name.SequenceEqual(":authority"u8) || name.SequenceEqual("host"u8)) && !HostAuthority.IsValid(value))
        {
            FirstReplacedValue ??= Encoding.ASCII.GetString(value[..Math.Min(value.Length, MaxLoggedLength)]);
            value = HostAuthority.Replacement;
        }

        HpackLiteralEncoder.WriteField(Encoded, name, value, neverIndexed);
    }

    public void Dispose() => Encoded.Dispose();
}
