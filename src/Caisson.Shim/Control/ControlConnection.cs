using System.Text;
using Caisson.Shim.Native;

namespace Caisson.Shim.Control;

/// <summary>
/// One client of the control socket: request lines in, one reply line per request out. After a
/// <c>stdin</c> request the rest of the connection is the container's stdin.
/// </summary>
internal sealed unsafe class ControlConnection(int fd) : IDisposable
{
    private const int MaxRequestBytes = 1024;

    private readonly byte[] inbound = new byte[MaxRequestBytes];
    private int length;

    public int Fd { get; private set; } = fd;

    public bool IsClosed => Fd < 0;

    /// <summary>True once the connection carries stdin bytes rather than requests.</summary>
    public bool IsStdinStream { get; set; }

    /// <summary>Reads requests (call when readable); returns false once the peer has gone or misbehaved.</summary>
    public bool ReadRequests(List<string> requests)
    {
        nint count;
        fixed (byte* buffer = inbound)
            count = Libc.read(Fd, buffer + length, inbound.Length - length);
        if (count < 0 && Libc.LastError is Libc.EAGAIN or Libc.EINTR)
            return true;
        if (count <= 0)
            return false;
        length += (int)count;
        int newline;
        while (!IsStdinStream && (newline = inbound.AsSpan(0, length).IndexOf((byte)'\n')) >= 0)
        {
            requests.Add(Encoding.UTF8.GetString(inbound, 0, newline).Trim());
            inbound.AsSpan(newline + 1, length - newline - 1).CopyTo(inbound);
            length -= newline + 1;
            if (requests[^1] == ShimCommands.Stdin)
                break; // what follows is stdin data, taken by TakeBuffered
        }

        return length < inbound.Length || IsStdinStream || requests.Count > 0;
    }

    /// <summary>Bytes read past the last request (the first stdin bytes after a <c>stdin</c> request).</summary>
    public ReadOnlySpan<byte> TakeBuffered()
    {
        var buffered = inbound.AsSpan(0, length);
        length = 0;
        return buffered;
    }

    /// <summary>Reads raw bytes (stdin mode); 0 means the peer closed.</summary>
    public int ReadRaw(Span<byte> destination)
    {
        nint count;
        fixed (byte* buffer = destination)
            count = Libc.read(Fd, buffer, destination.Length);
        if (count < 0 && Libc.LastError is Libc.EAGAIN or Libc.EINTR)
            return -1;
        return count < 0 ? 0 : (int)count;
    }

    /// <summary>Sends one reply line; a client that does not read it is dropped, never waited for.</summary>
    public void Reply(string line)
    {
        if (IsClosed)
            return;
        var bytes = Encoding.UTF8.GetBytes(line.ReplaceLineEndings(" ") + "\n");
        fixed (byte* buffer = bytes)
        {
            if (Libc.send(Fd, buffer, bytes.Length, Libc.MSG_NOSIGNAL) != bytes.Length)
                Dispose();
        }
    }

    public void Dispose()
    {
        if (Fd >= 0)
            Libc.close(Fd);
        Fd = -1;
    }
}
