using Caisson.Linux.Interop;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>A regular file just created by <see cref="RootedFileSystem.CreateFile"/>, open for writing.</summary>
public sealed unsafe class CreatedFile : IDisposable
{
    private readonly string path;
    private int fd;

    internal CreatedFile(int fd, string path)
    {
        this.fd = fd;
        this.path = path;
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            var offset = 0;
            while (offset < data.Length)
            {
                var written = Interop.Interop.Write(fd, start + offset, (nuint)(data.Length - offset));
                if (written < 0)
                {
                    var errno = Syscall.LastError;
                    if (errno == Errno.EINTR)
                        continue;
                    throw Errno.Exception(errno, "write", path);
                }

                offset += (int)written;
            }
        }
    }

    public void SetOwner(uint uid, uint gid) => Syscall.Check(FChown(fd, uid, gid), "fchown", path);

    /// <summary>Sets the permission bits, setuid/setgid/sticky included. Call after <see cref="SetOwner"/>, which clears them.</summary>
    public void SetPermissions(uint mode) => Syscall.Check(FChmod(fd, mode & 0xFFF), "fchmod", path);

    /// <summary>False when the file system does not support that attribute's namespace.</summary>
    public bool SetExtendedAttribute(string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            return Syscall.CheckXattr(FSetXattr(fd, name, p, (nuint)value.Length, 0), "fsetxattr " + name, path);
        }
    }

    public void SetTimes(UnixTimestamp access, UnixTimestamp modification)
    {
        var times = stackalloc TimeSpec[2];
        times[0] = access.ToTimeSpec();
        times[1] = modification.ToTimeSpec();
        Syscall.Check(FUtimens(fd, times), "futimens", path);
    }

    public void Dispose()
    {
        Syscall.CloseQuietly(fd);
        fd = -1;
    }
}
