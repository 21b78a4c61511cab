using System.Text;
using Caisson.Shim.Native;

namespace Caisson.Shim.Control;

/// <summary>The listening unix socket (a path in the 0700 state directory, mode 0600; never abstract).</summary>
internal sealed unsafe class ControlSocket : IDisposable
{
    private readonly string path;

    public ControlSocket(string path)
    {
        this.path = path;
        var pathBytes = Encoding.UTF8.GetBytes(path);
        const int sunPathSize = 108;
        if (pathBytes.Length >= sunPathSize)
            throw new ShimException($"socket path {path} is longer than {sunPathSize - 1} bytes");
        File.Delete(path);
        Fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (Fd < 0)
            throw Libc.Failure("socket");
        var address = stackalloc byte[2 + sunPathSize];
        new Span<byte>(address, 2 + sunPathSize).Clear();
        *(ushort*)address = Libc.AF_UNIX;
        pathBytes.CopyTo(new Span<byte>(address + 2, sunPathSize));
        if (Libc.bind(Fd, address, 2 + pathBytes.Length + 1) < 0)
            throw Libc.Failure("bind", path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (Libc.listen(Fd, 16) < 0)
            throw Libc.Failure("listen", path);
    }

    public int Fd { get; private set; }

    /// <summary>A new connection's fd (non-blocking), or -1 when none is waiting.</summary>
    public int Accept() => Libc.accept4(Fd, null, null, Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);

    public void Dispose()
    {
        if (Fd < 0)
            return;
        Libc.close(Fd);
        Fd = -1;
        File.Delete(path);
    }
}
