using System.Runtime.InteropServices;

namespace Caisson.Linux.Interop;

/// <summary>openat2(2) (Linux 5.6+), called through syscall(2) because glibc has no wrapper.</summary>
internal static unsafe partial class Interop
{
    public const ulong RESOLVE_NO_XDEV = 0x01;
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02;
    public const ulong RESOLVE_IN_ROOT = 0x10;

    // New syscalls share one number on every architecture.
    private const long SYS_openat2 = 437;

    [StructLayout(LayoutKind.Sequential)]
    public struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long SyscallOpenAt2(long number, int directoryFd, byte* path, OpenHow* how, nuint size);

    /// <summary>Returns the new fd, or -1 with errno set (ENOSYS on kernels before 5.6).</summary>
    public static int OpenAt2(int directoryFd, string path, in OpenHow how)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(path);
        Span<byte> bytes = length < 1024 ? stackalloc byte[length + 1] : new byte[length + 1];
        System.Text.Encoding.UTF8.GetBytes(path, bytes);
        bytes[length] = 0;
        var copy = how;
        fixed (byte* p = bytes)
        {
            return (int)SyscallOpenAt2(SYS_openat2, directoryFd, p, &copy, (nuint)sizeof(OpenHow));
        }
    }
}
