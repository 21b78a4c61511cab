using System.IO.Pipelines;

namespace Caisson.Core.IO;

/// <summary>
/// A pipe for moving megabytes (layer downloads into unpacking, image archives in and out). The default 4 KiB
/// segments would put hundreds per pipe in flight, more than the pipe and the shared array pool keep, so each
/// one was allocated and thrown away: a pull allocated about as many bytes of garbage as it downloaded, and
/// caissond's peak memory followed. Segments of 128 KiB keep a few dozen at most.
/// </summary>
public static class BulkPipe
{
    public const int SegmentSize = 128 << 10;

    /// <summary>A pipe whose writer waits above <paramref name="pauseWriterThreshold"/> bytes unread and resumes below <paramref name="resumeWriterThreshold"/>.</summary>
    public static Pipe Create(long pauseWriterThreshold, long resumeWriterThreshold) => new(new PipeOptions(
        pauseWriterThreshold: pauseWriterThreshold,
        resumeWriterThreshold: resumeWriterThreshold,
        minimumSegmentSize: SegmentSize,
        useSynchronizationContext: false));
}
