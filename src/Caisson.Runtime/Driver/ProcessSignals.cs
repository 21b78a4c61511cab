using System.Runtime.InteropServices;

namespace Caisson.Runtime.Driver;

/// <summary>
/// kill(2) for processes the daemon did not spawn itself (an exec'd process and its children inside a container).
/// Belongs in Caisson.Linux.Interop; kept here until that project grows a signals file.
/// </summary>
internal static partial class ProcessSignals
{
    public const int SIGKILL = 9;
    public const int SIGSTOP = 19;

    /// <summary>Sends the signal; false when the process is already gone (ESRCH) or cannot be signaled.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
