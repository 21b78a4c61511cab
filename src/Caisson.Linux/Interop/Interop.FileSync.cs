using System.Runtime.InteropServices;

namespace Caisson.Linux.Interop;

/// <summary>fsync(2) for what .NET will not flush itself (directories, after a rename in them).</summary>
public static partial class FileSync
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000;
    private const int O_CLOEXEC = 0x80000;

    public static void SyncDirectory(string path)
    {
        var fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            throw Errno.Exception(Marshal.GetLastPInvokeError(), "open", path);
        try
        {
            if (fsync(fd) != 0)
                throw Errno.Exception(Marshal.GetLastPInvokeError(), "fsync", path);
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
