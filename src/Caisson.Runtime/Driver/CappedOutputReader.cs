namespace Caisson.Runtime.Driver;

/// <summary>
/// Reads a pipe to its end, keeping at most a cap of bytes. Past the cap it keeps reading and discarding, so
/// the writer never blocks on a full pipe; what was kept can be taken at any time (partial output on timeout).
/// </summary>
internal sealed class CappedOutputReader
{
    public const int DefaultCap = 16 * 1024 * 1024;

    private readonly int cap;
    private readonly MemoryStream kept = new();
    private bool truncated;

    private CappedOutputReader(int cap) => this.cap = cap;

    /// <summary>Completes when the pipe reaches end of file (every writer closed it) or fails.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public static CappedOutputReader Start(Stream source, int cap = DefaultCap)
    {
        var reader = new CappedOutputReader(cap);
        reader.Completion = reader.ReadAsync(source);
        return reader;
    }

    public (byte[] Bytes, bool Truncated) Snapshot()
    {
        lock (kept)
            return (kept.ToArray(), truncated);
    }

    private async Task ReadAsync(Stream source)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer);
                if (read == 0)
                    return;
                lock (kept)
                {
                    var room = cap - (int)kept.Length;
                    kept.Write(buffer, 0, Math.Min(room, read));
                    truncated |= read > room;
                }
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // The pipe was torn down (the process killed, the stream disposed); what was read is kept.
        }
    }
}
