using System.Runtime.InteropServices;

namespace Caisson.Linux.Interop;

/// <summary>kill(2) by pid, for processes that have no pidfd at hand (an exec'd process's children inside a container).</summary>
public static partial class Signals
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGSTOP = 19;

    /// <summary>Sends the signal; false when the process is already gone (ESRCH) or cannot be signaled.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
