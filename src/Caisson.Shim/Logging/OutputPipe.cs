using Caisson.Shim.Native;

namespace Caisson.Shim.Logging;

/// <summary>
/// The read end of the container's stdout or stderr: assembles lines and writes each as an F record, a line
/// longer than <see cref="CriLogFile.MaxLineBytes"/> as P fragments ending with F; an unterminated last line
/// at EOF is written as F.
/// </summary>
internal sealed unsafe class OutputPipe(int fd, string streamName, CriLogFile log) : IDisposable
{
    private readonly byte[] stream = System.Text.Encoding.ASCII.GetBytes(streamName);
    private readonly byte[] pending = new byte[CriLogFile.MaxLineBytes];
    private int length;

    public int Fd { get; private set; } = fd;

    public bool IsOpen => Fd >= 0;

    /// <summary>Reads what the pipe has (call when poll says readable); closes at EOF.</summary>
    public void ReadAvailable()
    {
        nint count;
        fixed (byte* buffer = pending)
        {
            do
                count = Libc.read(Fd, buffer + length, pending.Length - length);
            while (count < 0 && Libc.LastError == Libc.EINTR);
        }

        if (count < 0 && Libc.LastError == Libc.EAGAIN)
            return;
        if (count <= 0)
        {
            if (length > 0)
                log.Write(stream, partial: false, pending.AsSpan(0, length));
            length = 0;
            Dispose();
            return;
        }

        length += (int)count;
        var start = 0;
        int newline;
        while ((newline = pending.AsSpan(start, length - start).IndexOf((byte)'\n')) >= 0)
        {
            log.Write(stream, partial: false, pending.AsSpan(start, newline));
            start += newline + 1;
        }

        if (start == 0 && length == pending.Length)
        {
            log.Write(stream, partial: true, pending);
            length = 0;
            return;
        }

        pending.AsSpan(start, length - start).CopyTo(pending);
        length -= start;
    }

    public void Dispose()
    {
        if (Fd >= 0)
            Libc.close(Fd);
        Fd = -1;
    }
}
