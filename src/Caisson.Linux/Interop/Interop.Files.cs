using System.Runtime.InteropServices;

namespace Caisson.Linux.Interop;

/// <summary>open/openat, close and write, with the open(2) flags of the running architecture.</summary>
internal static unsafe partial class Interop
{
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_REMOVEDIR = 0x200;
    public const int AT_EMPTY_PATH = 0x1000;

    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int O_PATH = 0x200000;

    // arm64 (and the other asm-generic ports) number these two differently from x86.
    private static readonly bool GenericOpenFlags =
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64;

    public static readonly int O_DIRECTORY = GenericOpenFlags ? 0x4000 : 0x10000;
    public static readonly int O_NOFOLLOW = GenericOpenFlags ? 0x8000 : 0x20000;

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int directoryFd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static partial int OpenAt(int directoryFd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);
}
