namespace Caisson.Images.Unpack;

/// <summary>A read-only view of a stream that leaves it open when disposed.</summary>
internal sealed class NonClosingStream(Stream inner) : ReadOnlyStream
{
    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);
}
