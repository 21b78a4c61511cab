using System.Buffers;

namespace Caisson.Daemon.Http2;

// Collecting a header block (HEADERS + CONTINUATIONs) and emitting it re-encoded.
internal sealed partial class Http2AuthorityRewriter
{
    private const int PriorityFieldsLength = 5;

    // A buffer grown past this by an unusually large block is given back to the pool afterwards.
    private const int RetainedBufferCapacity = 16 * 1024;

    private readonly HpackDecoder _decoder;
    private readonly PooledByteBuffer _block = new();
    private readonly AuthorityNormalizingHeaderSink _sink = new();
    private readonly byte[] _priority = new byte[PriorityFieldsLength];

    // The block being collected: its stream (0 when none), and what its HEADERS frame said.
    private int _blockStreamId;
    private bool _blockEndStream;
    private bool _blockHasPriority;
    private bool _replacementLogged;

    private Step AcceptHeaderFrame(Http2FrameHeader header, ReadOnlySequence<byte> payload, IBufferWriter<byte> output)
    {
        string? problem = header.Type == Http2FrameType.Headers
            ? StartBlock(header, payload)
            : ContinueBlock(header, payload);
        if (problem is not null)
            return Close(output, problem);
        return header.HasFlag(Http2FrameFlags.EndHeaders) ? EmitBlock(output) : Step.Continue;
    }

    /// <returns>Null, or why the frame is malformed.</returns>
    private string? StartBlock(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        if (_blockStreamId != 0)
            return $"HEADERS for stream {header.StreamId} inside the header block of stream {_blockStreamId}";
        if (header.StreamId == 0)
            return "HEADERS on stream 0";

        var reader = new SequenceReader<byte>(payload);
        byte padLength = 0;
        if (header.HasFlag(Http2FrameFlags.Padded) && !reader.TryRead(out padLength))
            return "a PADDED HEADERS frame without a pad length";
        _blockHasPriority = header.HasFlag(Http2FrameFlags.Priority);
        if (_blockHasPriority)
        {
            if (!reader.TryCopyTo(_priority))
                return "a HEADERS frame too short for its PRIORITY fields";
            reader.Advance(PriorityFieldsLength);
        }

        long fragmentLength = reader.Remaining - padLength;
        if (fragmentLength < 0)
            return $"HEADERS padding of {padLength} octets is longer than the rest of the frame";

        _blockStreamId = header.StreamId;
        _blockEndStream = header.HasFlag(Http2FrameFlags.EndStream);
        return AppendFragment(reader.UnreadSequence.Slice(0, fragmentLength));
    }

    private string? ContinueBlock(Http2FrameHeader header, ReadOnlySequence<byte> payload)
    {
        if (_blockStreamId == 0)
            return $"CONTINUATION for stream {header.StreamId} without a preceding HEADERS";
        if (header.StreamId != _blockStreamId)
            return $"CONTINUATION for stream {header.StreamId} inside the header block of stream {_blockStreamId}";
        return AppendFragment(payload);
    }

    private string? AppendFragment(ReadOnlySequence<byte> fragment)
    {
        if (_block.Length + fragment.Length > _limits.MaxHeaderListSize)
            return $"a header block larger than {_limits.MaxHeaderListSize} octets";
        fragment.CopyTo(_block.GetSpan((int)fragment.Length));
        _block.Advance((int)fragment.Length);
        return null;
    }

    private Step EmitBlock(IBufferWriter<byte> output)
    {
        try
        {
            _decoder.Decode(_block.WrittenSpan, _sink);
        }
        catch (HpackDecodingException exception)
        {
            return Close(output, $"HPACK error in the header block of stream {_blockStreamId}: {exception.Message}");
        }

        Http2FrameWriter.WriteHeaderBlock(
            output,
            _blockStreamId,
            _blockEndStream,
            _blockHasPriority ? _priority : [],
            _sink.Encoded.WrittenSpan,
            _limits.MaxFrameSize);

        if (!_replacementLogged && _sink.FirstReplacedValue is { } replaced)
        {
            _replacementLogged = true;
            Log.AuthorityReplaced(_logger, _connectionId, replaced);
        }

        _blockStreamId = 0;
        _block.Clear(RetainedBufferCapacity);
        _sink.Encoded.Clear(RetainedBufferCapacity);
        return Step.Continue;
    }
}
