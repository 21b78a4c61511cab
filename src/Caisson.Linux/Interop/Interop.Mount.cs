using System.Runtime.InteropServices;

namespace Caisson.Linux.Interop;

/// <summary>mount(2) and umount2(2).</summary>
public static partial class Mounts
{
    public const ulong MS_RDONLY = 1;
    public const ulong MS_NOSUID = 2;
    public const ulong MS_NODEV = 4;
    public const ulong MS_NOEXEC = 8;
    public const ulong MS_BIND = 4096;
    public const ulong MS_REC = 16384;
    public const ulong MS_PRIVATE = 1 << 18;
    public const ulong MS_SLAVE = 1 << 19;
    public const ulong MS_SHARED = 1 << 20;
    public const int MNT_DETACH = 2;

    public static void Mount(string? source, string target, string? fileSystemType, ulong flags, string? data)
    {
        if (mount(source, target, fileSystemType, flags, data) != 0)
            throw Errno.Exception(Marshal.GetLastPInvokeError(), $"mount {fileSystemType ?? "bind"} {source} on", target);
    }

    /// <summary>Unmounts; a target that is not mounted is not an error.</summary>
    public static void Unmount(string target, bool detach = false)
    {
        if (umount2(target, detach ? MNT_DETACH : 0) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is not (Errno.EINVAL or Errno.ENOENT))
                throw Errno.Exception(errno, "umount", target);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string? source, string target, string? fileSystemType, ulong flags, string? data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);
}
