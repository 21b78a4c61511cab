using System.Runtime.InteropServices;

namespace Caisson.Linux.Interop;

/// <summary>
/// unshare(2), setns(2), sethostname(2) and gettid(2). Both namespace calls change only the calling thread: call them on a
/// dedicated thread that exits afterwards, never on a pool thread that would carry the namespace elsewhere.
/// </summary>
public static partial class Namespaces
{
    public const int CLONE_NEWUTS = 0x04000000;
    public const int CLONE_NEWIPC = 0x08000000;
    public const int CLONE_NEWPID = 0x20000000;
    public const int CLONE_NEWNET = 0x40000000;

    public static void Unshare(int flags)
    {
        if (unshare(flags) != 0)
            throw Errno.Exception(Marshal.GetLastPInvokeError(), $"unshare(0x{flags:x})");
    }

    /// <summary>Moves the calling thread into the namespace <paramref name="namespacePath"/> refers to.</summary>
    public static void Enter(string namespacePath, int namespaceType)
    {
        using var handle = File.OpenHandle(namespacePath, FileMode.Open, FileAccess.Read);
        if (setns(handle.DangerousGetHandle().ToInt32(), namespaceType) != 0)
            throw Errno.Exception(Marshal.GetLastPInvokeError(), "setns", namespacePath);
    }

    /// <summary>Sets the host name of the calling thread's UTS namespace.</summary>
    public static void SetHostname(string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        if (sethostname(bytes, (nuint)bytes.Length) != 0)
            throw Errno.Exception(Marshal.GetLastPInvokeError(), "sethostname", name);
    }

    /// <summary>The kernel's id of the calling thread, as /proc/self/task/&lt;tid&gt; names it.</summary>
    public static int CurrentThreadId() => gettid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unshare(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    [LibraryImport("libc")]
    private static partial int gettid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sethostname(byte[] name, nuint length);
}
