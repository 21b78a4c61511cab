using System.Threading.Channels;

namespace Caisson.Images.Unpack;

/// <summary>
/// Reads its source on a background task, a few chunks ahead of the consumer, so that decompressing and
/// hashing a layer overlap with writing its files. A fixed set of buffers circulates between the two sides,
/// so memory stays bounded (chunk size times depth) and nothing is allocated per chunk.
/// </summary>
internal sealed class ReadAheadStream : ReadOnlyStream
{
    private readonly Stream source;
    private readonly Channel<(byte[] Buffer, int Length)> filled;
    private readonly Channel<byte[]> free;
    private readonly CancellationTokenSource stop;
    private readonly Task producer;
    private (byte[] Buffer, int Length) current;
    private int offset;
    private bool ended;

    public ReadAheadStream(Stream source, int chunkSize, int depth, CancellationToken cancellationToken)
    {
        this.source = source;
        filled = Channel.CreateUnbounded<(byte[], int)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        free = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        for (var i = 0; i < depth; i++)
            free.Writer.TryWrite(new byte[chunkSize]);
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        producer = Task.Run(() => ProduceAsync(stop.Token), CancellationToken.None);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || ended)
            return 0;
        if (current.Buffer is null || offset == current.Length)
        {
            if (current.Buffer is not null)
                free.Writer.TryWrite(current.Buffer);
            current = default;
            // Faults with whatever stopped the producer (a decompression error, a cancellation).
            if (!await filled.Reader.WaitToReadAsync(cancellationToken))
            {
                ended = true;
                return 0;
            }

            current = await filled.Reader.ReadAsync(cancellationToken);
            offset = 0;
        }

        var length = Math.Min(buffer.Length, current.Length - offset);
        current.Buffer.AsMemory(offset, length).CopyTo(buffer);
        offset += length;
        return length;
    }

    public override int Read(Span<byte> buffer)
    {
        var rented = new byte[buffer.Length];
        var read = ReadAsync(rented).AsTask().GetAwaiter().GetResult();
        rented.AsSpan(0, read).CopyTo(buffer);
        return read;
    }

    public override async ValueTask DisposeAsync()
    {
        // Stop the producer and wait for it: the source must not be read after its owner disposes it.
        if (!stop.IsCancellationRequested)
            await stop.CancelAsync();
        try
        {
            await producer;
        }
        catch
        {
            // Already reported to the reader, or nobody is reading any more.
        }

        stop.Dispose();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !producer.IsCompleted)
        {
            stop.Cancel();
            producer.ContinueWith(static _ => { }, TaskScheduler.Default).Wait();
        }

        base.Dispose(disposing);
    }

    private async Task ProduceAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var buffer = await free.Reader.ReadAsync(cancellationToken);
                var length = 0;
                // Fill the whole chunk: decompressors hand out small pieces.
                while (length < buffer.Length)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken);
                    if (read == 0)
                        break;
                    length += read;
                }

                if (length > 0)
                    filled.Writer.TryWrite((buffer, length));
                if (length < buffer.Length)
                {
                    filled.Writer.Complete();
                    return;
                }
            }
        }
        catch (Exception e)
        {
            filled.Writer.Complete(e);
            throw;
        }
    }
}
