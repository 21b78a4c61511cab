using Caisson.Shim.Native;

namespace Caisson.Shim;

/// <summary>
/// The write end of the container's stdin (non-blocking). Bytes the pipe cannot take yet wait here, and
/// the event loop stops reading stdin clients until they are written.
/// </summary>
internal sealed unsafe class StdinPipe(int fd) : IDisposable
{
    private readonly byte[] pending = new byte[64 * 1024];
    private int start;
    private int length;
    private bool closeWhenFlushed;

    public int Fd { get; private set; } = fd;

    public bool IsOpen => Fd >= 0;

    public bool HasPending => length > start;

    public int Capacity => pending.Length;

    /// <summary>Queues and writes what the pipe takes now; data for a container that closed stdin is dropped.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (!IsOpen || closeWhenFlushed)
            return;
        pending.AsSpan(start, length - start).CopyTo(pending);
        length -= start;
        start = 0;
        // Clients are read only while nothing is queued, so data fits; the guard keeps a bug from overrunning.
        var taken = Math.Min(data.Length, pending.Length - length);
        data[..taken].CopyTo(pending.AsSpan(length));
        length += taken;
        Flush();
    }

    /// <summary>Writes queued bytes (call when poll says writable).</summary>
    public void Flush()
    {
        while (IsOpen && HasPending)
        {
            nint written;
            fixed (byte* buffer = pending)
                written = Libc.write(Fd, buffer + start, length - start);
            if (written < 0 && Libc.LastError == Libc.EINTR)
                continue;
            if (written < 0 && Libc.LastError == Libc.EAGAIN)
                return;
            if (written <= 0)
            {
                Dispose(); // EPIPE: the container closed its stdin
                return;
            }

            start += (int)written;
        }

        if (closeWhenFlushed)
            Dispose();
    }

    /// <summary>Closes stdin once queued bytes are written, so the container sees EOF after all its input.</summary>
    public void Close()
    {
        closeWhenFlushed = true;
        Flush();
    }

    public void Dispose()
    {
        if (Fd >= 0)
            Libc.close(Fd);
        Fd = -1;
        start = length = 0;
    }
}
