using System.Buffers;
using System.IO.Pipelines;
using Caisson.Daemon.Http2;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caisson.Tests.Daemon.Http2.Support;

/// <summary>Runs an <see cref="Http2AuthorityRewriter"/> over given client bytes in several ways.</summary>
internal static class RewriterHarness
{
    /// <summary>Through pipes, writing <paramref name="chunkSize"/> octets per flush, reading the output as it comes.</summary>
    public static async Task<byte[]> RewriteThroughPipesAsync(
        byte[] input, int chunkSize = int.MaxValue, Http2RewriterLimits? limits = null, ILogger? logger = null)
    {
        using var pumped = new PumpedRewriter(limits, logger);
        Task feed = FeedAsync(pumped.Client.Writer, input, chunkSize);

        byte[] output = await ReadToEndAsync(pumped.Server.Reader);
        await feed;
        await pumped.WaitForEndAsync();
        return output;
    }

    /// <summary>Calls Process once per input octet, as a transport delivering one octet per read would.</summary>
    public static byte[] RewriteOctetByOctet(byte[] input, Http2RewriterLimits? limits = null)
    {
        using var rewriter = NewRewriter(limits);
        var output = new ArrayBufferWriter<byte>();
        byte[] unconsumed = [];
        foreach (byte octet in input)
        {
            var buffer = new ReadOnlySequence<byte>([.. unconsumed, octet]);
            if (!rewriter.Process(ref buffer, output))
                break;
            unconsumed = buffer.ToArray();
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Calls Process once on a sequence made of <paramref name="segmentSize"/>-octet segments.</summary>
    public static byte[] RewriteSegmented(byte[] input, int segmentSize, Http2RewriterLimits? limits = null)
    {
        var logger = new ListLogger();
        using var rewriter = NewRewriter(limits, logger);
        var output = new ArrayBufferWriter<byte>();
        ReadOnlySequence<byte> buffer = Segmented(input, segmentSize);
        bool open = rewriter.Process(ref buffer, output);
        Assert.True(buffer.IsEmpty, $"{buffer.Length} octets left unconsumed, open {open}, written {output.WrittenCount}, log {string.Join("; ", logger.Messages)}");
        return output.WrittenSpan.ToArray();
    }

    public static async Task FeedAsync(PipeWriter writer, byte[] input, int chunkSize)
    {
        for (int offset = 0; offset < input.Length; offset += chunkSize)
        {
            FlushResult result = await writer.WriteAsync(input.AsMemory(offset, Math.Min(chunkSize, input.Length - offset)));
            if (result.IsCompleted)
                break;
            if (chunkSize < 16)
                await Task.Yield();
        }

        await writer.CompleteAsync();
    }

    public static async Task<byte[]> ReadToEndAsync(PipeReader reader)
    {
        var output = new List<byte>();
        while (true)
        {
            ReadResult result = await reader.ReadAsync();
            output.AddRange(result.Buffer.ToArray());
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
                break;
        }

        await reader.CompleteAsync();
        return [.. output];
    }

    public static Http2AuthorityRewriter NewRewriter(Http2RewriterLimits? limits = null, ILogger? logger = null) =>
        new(limits ?? Http2RewriterLimits.Default, logger ?? NullLogger.Instance, "test");

    private static ReadOnlySequence<byte> Segmented(byte[] data, int segmentSize)
    {
        Segment? first = null;
        Segment? last = null;
        for (int offset = 0; offset < data.Length; offset += segmentSize)
        {
            var segment = new Segment(data.AsMemory(offset, Math.Min(segmentSize, data.Length - offset)), offset);
            first ??= segment;
            last?.Append(segment);
            last = segment;
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void Append(Segment next) => Next = next;
    }
}
