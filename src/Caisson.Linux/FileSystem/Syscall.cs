using System.Runtime.InteropServices;
using Caisson.Linux.Interop;
using static Caisson.Linux.Interop.Interop;

namespace Caisson.Linux.FileSystem;

/// <summary>Result checking for the raw calls: errno into a typed exception naming the call and the path.</summary>
internal static class Syscall
{
    public static int LastError => Marshal.GetLastPInvokeError();

    public static int Check(int result, string call, string path)
    {
        if (result < 0)
            throw Errno.Exception(LastError, call, path);
        return result;
    }

    /// <summary>For the setxattr family: true when set, false when the file system lacks support (EOPNOTSUPP).</summary>
    public static bool CheckXattr(int result, string call, string path)
    {
        if (result == 0)
            return true;
        var errno = LastError;
        if (errno == Errno.EOPNOTSUPP)
            return false;
        throw Errno.Exception(errno, call, path);
    }

    public static void CloseQuietly(int fd)
    {
        if (fd >= 0)
            Close(fd);
    }

    /// <summary>The /proc path that names an open fd; the kernel resolves it to the object itself.</summary>
    public static string ProcPath(int fd) => $"/proc/self/fd/{fd}";

    public static int OpenDirectoryPath(int directoryFd, string name, string displayPath) =>
        Check(OpenAt(directoryFd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0), "openat", displayPath);
}
