using System.Runtime.InteropServices;

namespace Caisson.Linux.Interop;

/// <summary>getdents64(2): raw directory listing from an fd, no DIR* state to manage.</summary>
internal static unsafe partial class Interop
{
    public const byte DT_UNKNOWN = 0;
    public const byte DT_DIR = 4;

    // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
    public const int DirentRecordLengthOffset = 16;
    public const int DirentTypeOffset = 18;
    public const int DirentNameOffset = 19;

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint GetDents64(int fd, byte* buffer, nuint count);
}
