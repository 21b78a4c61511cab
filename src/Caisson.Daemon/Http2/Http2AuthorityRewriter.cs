using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace Caisson.Daemon.Http2;

/// <summary>Copies the client-to-server bytes of one HTTP/2 prior-knowledge connection, re-encoding every header
/// block so that an <c>:authority</c> (or <c>host</c>) that is not a plain <c>host[:port]</c> reaches the server as
/// <c>localhost</c>. Kestrel would otherwise reset such a stream ("Invalid Host header"), and grpc-go clients on a
/// unix socket send the socket path there.</summary>
/// <remarks>
/// Every frame other than HEADERS and CONTINUATION is copied as it arrives, without being buffered whole. A header
/// block is collected, decoded with the client's HPACK state, and re-encoded with literals only (no Huffman, no
/// indexing), so the server's decoder never depends on the client's dynamic table; padding is dropped and PRIORITY
/// kept. Input that does not start with the client preface passes through untouched. On malformed frames or HPACK the
/// rewriter hands the server a frame it must reject with a connection error and ends its output there, so the
/// server answers the client with GOAWAY.
/// </remarks>
internal sealed partial class Http2AuthorityRewriter : IDisposable
{
    private const int PrefaceLength = 24;

    private readonly Http2RewriterLimits _limits;
    private readonly ILogger _logger;
    private readonly string _connectionId;

    private State _state = State.Preface;
    private int _prefaceMatched;
    private int _payloadToForward;

    public Http2AuthorityRewriter(Http2RewriterLimits limits, ILogger logger, string connectionId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxFrameSize, 16 * 1024, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxHeaderListSize, 1, nameof(limits));
        _limits = limits;
        _logger = logger;
        _connectionId = connectionId;
        _decoder = new HpackDecoder(limits.HeaderTableSize, limits.MaxHeaderListSize);
    }

    private enum State
    {
        Preface,
        FrameHeader,
        ForwardPayload,
        Transparent,
        Closed,
    }

    private enum Step
    {
        Continue,
        NeedMoreInput,
        Stop,
    }

    private static ReadOnlySpan<byte> ClientPreface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>Pumps <paramref name="input"/> to <paramref name="output"/> until the client ends its side, the
    /// server stops reading (completes the reader of <paramref name="output"/>), or a read is canceled; then completes
    /// both. Never throws: a transport error completes <paramref name="output"/> with that exception.</summary>
    /// <remarks>After malformed input the output ends at once, but the client side stays open (its bytes discarded)
    /// until the client leaves or a read is canceled: completing it would tell the server the client has gone, and
    /// the server would then drop the GOAWAY it owes the client for the rejected frame.</remarks>
    public async Task RunAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken = default)
    {
        Exception? error = null;
        bool outputCompleted = false;
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync(cancellationToken);
                if (result.IsCanceled)
                    break;

                ReadOnlySequence<byte> buffer = result.Buffer;
                bool open = Process(ref buffer, output);
                // Examined to the end: a partial frame waits for more input rather than being offered again.
                input.AdvanceTo(buffer.Start, result.Buffer.End);

                FlushResult flush = await output.FlushAsync(cancellationToken);
                if (result.IsCompleted || flush.IsCompleted || flush.IsCanceled)
                    break;
                if (!open)
                {
                    await output.CompleteAsync();
                    outputCompleted = true;
                    await DiscardUntilEndAsync(input, cancellationToken);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            error = exception;
        }

        await input.CompleteAsync();
        if (!outputCompleted)
            await output.CompleteAsync(error);
    }

    private static async Task DiscardUntilEndAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken);
            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
                return;
        }
    }

    /// <summary>Consumes what it can of <paramref name="buffer"/>, leaving the rest in it; false once closed.</summary>
    internal bool Process(ref ReadOnlySequence<byte> buffer, IBufferWriter<byte> output)
    {
        var reader = new SequenceReader<byte>(buffer);
        Step step = Step.Continue;
        while (step == Step.Continue && (!reader.End || _state == State.Closed))
        {
            step = _state switch
            {
                State.Preface => MatchPreface(ref reader, output),
                State.FrameHeader => ReadFrame(ref reader, output),
                State.ForwardPayload => ForwardPayload(ref reader, output),
                State.Transparent => ForwardRest(ref reader, output),
                _ => Step.Stop,
            };
        }

        buffer = buffer.Slice(reader.Position);
        return step != Step.Stop;
    }

    private Step MatchPreface(ref SequenceReader<byte> reader, IBufferWriter<byte> output)
    {
        int count = (int)Math.Min(PrefaceLength - _prefaceMatched, reader.Remaining);
        Span<byte> received = stackalloc byte[PrefaceLength];
        reader.TryCopyTo(received[..count]);
        if (!received[..count].SequenceEqual(ClientPreface.Slice(_prefaceMatched, count)))
        {
            // Not HTTP/2 with prior knowledge (HTTP/1.1 on a shared endpoint, say): none of our business.
            Log.NoClientPreface(_logger, _connectionId);
            _state = State.Transparent;
            return Step.Continue;
        }

        Forward(ref reader, count, output);
        _prefaceMatched += count;
        if (_prefaceMatched == PrefaceLength)
            _state = State.FrameHeader;
        return Step.Continue;
    }

    private Step ReadFrame(ref SequenceReader<byte> reader, IBufferWriter<byte> output)
    {
        if (reader.Remaining < Http2FrameHeader.Size)
            return Step.NeedMoreInput;
        Span<byte> headerBytes = stackalloc byte[Http2FrameHeader.Size];
        reader.TryCopyTo(headerBytes);
        var header = Http2FrameHeader.Read(headerBytes);

        if (header.Type is not (Http2FrameType.Headers or Http2FrameType.Continuation))
        {
            if (_blockStreamId != 0)
                return Close(output, $"a {header.Type} frame interrupts the header block of stream {_blockStreamId}");
            Forward(ref reader, Http2FrameHeader.Size, output);
            _payloadToForward = header.Length;
            _state = header.Length == 0 ? State.FrameHeader : State.ForwardPayload;
            return Step.Continue;
        }

        if (header.Length > _limits.MaxFrameSize)
            return Close(output, $"a {header.Type} frame of {header.Length} octets exceeds {_limits.MaxFrameSize}");
        if (reader.Remaining < Http2FrameHeader.Size + header.Length)
            return Step.NeedMoreInput;

        reader.Advance(Http2FrameHeader.Size);
        ReadOnlySequence<byte> payload = reader.UnreadSequence.Slice(0, header.Length);
        reader.Advance(header.Length);
        return AcceptHeaderFrame(header, payload, output);
    }

    private Step ForwardPayload(ref SequenceReader<byte> reader, IBufferWriter<byte> output)
    {
        int count = (int)Math.Min(_payloadToForward, reader.Remaining);
        Forward(ref reader, count, output);
        _payloadToForward -= count;
        if (_payloadToForward == 0)
            _state = State.FrameHeader;
        return Step.Continue;
    }

    private static Step ForwardRest(ref SequenceReader<byte> reader, IBufferWriter<byte> output)
    {
        Forward(ref reader, reader.Remaining, output);
        return Step.Continue;
    }

    private static void Forward(ref SequenceReader<byte> reader, long count, IBufferWriter<byte> output)
    {
        foreach (ReadOnlyMemory<byte> segment in reader.UnreadSequence.Slice(0, count))
            output.Write(segment.Span);
        reader.Advance(count);
    }

    /// <summary>Ends the rewritten stream with a frame the server must treat as a connection error.</summary>
    private Step Close(IBufferWriter<byte> output, string reason)
    {
        Log.MalformedInput(_logger, _connectionId, reason);
        // HEADERS on stream 0 is a connection error of type PROTOCOL_ERROR (RFC 9113 section 6.2): the server answers
        // GOAWAY and closes, as it would have for the original bytes, which it can no longer be shown consistently.
        Http2FrameWriter.WriteFrame(
            output, new Http2FrameHeader(0, Http2FrameType.Headers, Http2FrameFlags.EndHeaders, 0), [], []);
        _state = State.Closed;
        return Step.Stop;
    }

    public void Dispose()
    {
        _block.Dispose();
        _sink.Dispose();
    }

    // Event ids 1..3 within the Http2 area; a daemon-wide event id registry does not exist yet.
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
            Message = "Connection {ConnectionId}: no HTTP/2 client preface; passing its bytes through unchanged")]
        public static partial void NoClientPreface(ILogger logger, string connectionId);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug,
            Message = "Connection {ConnectionId}: replacing :authority/host '{Authority}' with 'localhost' (logged once per connection)")]
        public static partial void AuthorityReplaced(ILogger logger, string connectionId, string authority);

        [LoggerMessage(EventId = 3, Level = LogLevel.Debug,
            Message = "Connection {ConnectionId}: malformed HTTP/2 input ({Reason}); ending the connection")]
        public static partial void MalformedInput(ILogger logger, string connectionId, string reason);
    }
}
