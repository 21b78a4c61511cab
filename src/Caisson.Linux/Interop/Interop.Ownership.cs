using System.Runtime.InteropServices;

namespace Caisson.Linux.Interop;

/// <summary>chown(2) for paths .NET has no API for.</summary>
public static partial class Ownership
{
    public static void Chown(string path, int uid, int gid)
    {
        if (chown(path, uid, gid) != 0)
            throw Errno.Exception(Marshal.GetLastPInvokeError(), "chown", path);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, int uid, int gid);
}
