using System.IO.Pipelines;
using Caisson.Core.IO;

namespace Caisson.Tests.Core;

// A pipe that moves megabytes must not allocate per 4 KiB segment: that garbage was most of a pull's memory.
public sealed class BulkPipeTests
{
    private const int Chunk = 1 << 20;
    private const int Chunks = 64;

    [Fact]
    public void Moving_64_MiB_through_a_bulk_pipe_allocates_almost_nothing_where_a_default_pipe_allocates_megabytes()
    {
        var bulk = BytesAllocatedMoving(BulkPipe.Create(pauseWriterThreshold: 2 * Chunk, resumeWriterThreshold: Chunk));
        var plain = BytesAllocatedMoving(new Pipe(new PipeOptions(pauseWriterThreshold: 2 * Chunk, resumeWriterThreshold: Chunk, useSynchronizationContext: false)));

        // The default pipe is the control: it shows the measurement sees per-segment garbage when there is some.
        Assert.True(plain > 8L << 20, $"a default pipe allocated only {plain} bytes");
        // About 28 KB here against the default's 50 MB. The bound leaves room for other tests borrowing from the
        // shared array pool meanwhile, which this thread then replaces with fresh arrays.
        Assert.True(bulk < 4L << 20, $"a bulk pipe allocated {bulk} bytes moving {Chunks} MiB");
    }

    [Fact]
    public void Its_segments_are_at_least_the_bulk_size()
    {
        var pipe = BulkPipe.Create(pauseWriterThreshold: 2 * Chunk, resumeWriterThreshold: Chunk);
        Assert.True(pipe.Writer.GetMemory().Length >= BulkPipe.SegmentSize);
    }

    /// <summary>
    /// Writes and reads whole chunks on this thread alone (below the pause threshold every flush and read
    /// completes at once), so this thread's allocation counter sees all of it and nothing of other tests.
    /// </summary>
    private static long BytesAllocatedMoving(Pipe pipe)
    {
        var data = new byte[Chunk];
        Move(pipe, data); // warm-up: the first round fills the pools
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Chunks; i++)
            Move(pipe, data);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void Move(Pipe pipe, byte[] data)
    {
        var flushed = pipe.Writer.WriteAsync(data);
        Assert.True(flushed.IsCompleted);
        var read = pipe.Reader.ReadAsync();
        Assert.True(read.IsCompleted);
        var result = read.Result;
        Assert.Equal(data.Length, result.Buffer.Length);
        pipe.Reader.AdvanceTo(result.Buffer.End);
    }
}
