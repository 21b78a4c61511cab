using System.Buffers;
using Caisson.Core.Errors;

namespace Caisson.Images.Unpack.Tar;

/// <summary>
/// Reads a tar stream once, front to back, through one pooled buffer. Entry data is handed out as slices of
/// that buffer, so nothing is copied twice and memory stays bounded whatever the archive declares. Header-only entry types carry no data whatever their size
/// field says, as Go's archive/tar (and so containerd) reads them.
/// </summary>
internal sealed partial class TarStreamReader : IDisposable
{
    public const int BufferSize = 1 << 20;

    // Bounds on what a header may make us hold in memory (Go's archive/tar allows 1 MiB per special header).
    private const int MaxMetadataHeaderSize = 1 << 20;
    private const int MaxMetadataPerEntry = 4 << 20;

    private readonly Stream source;
    private readonly TarEntry entry = new();
    private readonly PaxRecords pending = new();
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int start;
    private int end;
    private bool sourceEnded;
    private long dataRemaining;
    private long paddingRemaining;

    public TarStreamReader(Stream source) => this.source = source;

    /// <summary>Bytes read from the source so far (all of it after <see cref="DrainAsync"/>).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Where in the uncompressed stream the header being read starts, for error messages.</summary>
    public long HeaderOffset { get; private set; }

    private long Position => BytesRead - (end - start);

    /// <summary>The next entry, or null at the end of the archive. Unread data of the previous entry is skipped.</summary>
    public async ValueTask<TarEntry?> ReadNextAsync(CancellationToken cancellationToken)
    {
        await SkipAsync(dataRemaining + paddingRemaining, cancellationToken);
        dataRemaining = paddingRemaining = 0;
        pending.Clear();
        var metadataBytes = 0L;
        while (true)
        {
            if (!await EnsureAsync(TarFields.BlockSize, cancellationToken))
            {
                if (end == start && metadataBytes == 0)
                    return null; // no end-of-archive blocks: tolerated, as Go's reader does
                throw Truncated();
            }

            HeaderOffset = Position;
            var header = buffer.AsSpan(start, TarFields.BlockSize);
            if (!header.ContainsAnyExcept((byte)0))
            {
                if (metadataBytes > 0)
                    throw new InvalidArgumentException("tar archive ends after an extended header, before its entry");
                start += TarFields.BlockSize;
                await ExpectSecondEndBlockAsync(cancellationToken);
                return null;
            }

            TarFields.VerifyChecksum(header);
            var type = (char)header[TarFields.TypeOffset];
            var size = TarFields.Number(header.Slice(TarFields.SizeOffset, TarFields.SizeLength), "size");
            if (size < 0)
                throw new InvalidArgumentException("tar header with a negative size");
            if (type is 'x' or 'g' or 'L' or 'K')
            {
                metadataBytes += size;
                if (size > MaxMetadataHeaderSize || metadataBytes > MaxMetadataPerEntry)
                    throw new InvalidArgumentException($"tar extended header of {size} bytes is too large");
                start += TarFields.BlockSize;
                await ReadMetadataAsync(type, (int)size, cancellationToken);
                continue;
            }

            FillEntry(header, type, size);
            start += TarFields.BlockSize;
            dataRemaining = entry.Kind == TarEntryKind.RegularFile ? entry.Size : 0;
            paddingRemaining = Padding(dataRemaining);
            return entry;
        }
    }

    /// <summary>The next chunk of the current entry's data (valid until the next call), empty at its end.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReadDataAsync(CancellationToken cancellationToken)
    {
        if (dataRemaining == 0)
            return ReadOnlyMemory<byte>.Empty;
        if (start == end)
        {
            start = end = 0;
            if (!await FillAsync(cancellationToken))
                throw Truncated();
        }

        var length = (int)Math.Min(end - start, dataRemaining);
        var chunk = buffer.AsMemory(start, length);
        start += length;
        dataRemaining -= length;
        return chunk;
    }

    /// <summary>Reads whatever follows the end of the archive, to the end of the stream (the DiffId covers it).</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        start = end = 0;
        while (await FillAsync(cancellationToken))
            start = end = 0;
    }

    public void Dispose()
    {
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private static long Padding(long size) => (TarFields.BlockSize - (size % TarFields.BlockSize)) % TarFields.BlockSize;

    private static InvalidArgumentException Truncated() => new("tar archive is truncated");

    /// <summary>
    /// After one zero block, Go's reader (so containerd) wants a second one or the end of the stream, and
    /// refuses a header there: accepting it silently would let one layer mean different things to us and to it.
    /// </summary>
    private async ValueTask ExpectSecondEndBlockAsync(CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(TarFields.BlockSize, cancellationToken))
            return;
        if (buffer.AsSpan(start, TarFields.BlockSize).ContainsAnyExcept((byte)0))
            throw new InvalidArgumentException("tar archive has data after a single end-of-archive block");
        start += TarFields.BlockSize;
    }

    private async ValueTask ReadMetadataAsync(char type, int size, CancellationToken cancellationToken)
    {
        var data = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            var copied = 0;
            while (copied < size)
            {
                if (start == end)
                {
                    start = end = 0;
                    if (!await FillAsync(cancellationToken))
                        throw Truncated();
                }

                var length = Math.Min(end - start, size - copied);
                buffer.AsSpan(start, length).CopyTo(data.AsSpan(copied));
                start += length;
                copied += length;
            }

            await SkipAsync(Padding(size), cancellationToken);
            ApplyMetadata(type, data.AsSpan(0, size));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }

    private void ApplyMetadata(char type, ReadOnlySpan<byte> data)
    {
        switch (type)
        {
            case 'x':
                pending.Parse(data);
                break;
            case 'L':
                pending.Path = LongName(data, "GNU long name");
                break;
            case 'K':
                pending.LinkPath = LongName(data, "GNU long link name");
                break;
            default:
                break; // 'g': global PAX headers are ignored, as containerd does
        }
    }

    private static string LongName(ReadOnlySpan<byte> data, string what)
    {
        var name = TarFields.String(data);
        if (data[name.Length..].ContainsAnyExcept((byte)0))
            throw new InvalidArgumentException($"tar {what} contains a NUL byte");
        return TarFields.Decode(name, what);
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (start == end)
            {
                start = end = 0;
                if (!await FillAsync(cancellationToken))
                    throw Truncated();
            }

            var length = (int)Math.Min(end - start, count);
            start += length;
            count -= length;
        }
    }

    /// <summary>Makes <paramref name="count"/> contiguous bytes available at <c>start</c>; false at end of stream.</summary>
    private async ValueTask<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        if (end - start >= count)
            return true;
        if (buffer.Length - start < count)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }

        while (end - start < count)
        {
            if (!await FillAsync(cancellationToken))
                return false;
        }

        return true;
    }

    /// <summary>Reads more into the free tail of the buffer; false at end of stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (sourceEnded)
            return false;
        cancellationToken.ThrowIfCancellationRequested();
        var read = await source.ReadAsync(buffer.AsMemory(end), cancellationToken);
        if (read == 0)
        {
            sourceEnded = true;
            return false;
        }

        end += read;
        BytesRead += read;
        return true;
    }
}
