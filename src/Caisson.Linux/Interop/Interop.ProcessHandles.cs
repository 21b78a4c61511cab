using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Caisson.Linux.Interop;

/// <summary>
/// pidfd_open(2), pidfd_send_signal(2) and poll(2) on a pidfd: a pidfd names one process for good, so a signal
/// sent through it never reaches a later process that was given the same pid.
/// </summary>
public static unsafe partial class ProcessHandles
{
    public const int SIGKILL = Signals.SIGKILL;

    private const int ESRCH = 3;
    private const short POLLIN = 0x1;

    /// <summary>A pidfd for <paramref name="pid"/>, or null when no such process exists.</summary>
    public static SafeFileHandle? Open(int pid)
    {
        var fd = pidfd_open(pid, 0);
        if (fd >= 0)
            return new SafeFileHandle(fd, ownsHandle: true);
        var errno = Marshal.GetLastPInvokeError();
        return errno == ESRCH ? null : throw Errno.Exception(errno, "pidfd_open", $"pid {pid}");
    }

    /// <summary>Sends <paramref name="signal"/>; false when the process has already exited.</summary>
    public static bool Signal(SafeFileHandle pidfd, int signal)
    {
        if (pidfd_send_signal((int)pidfd.DangerousGetHandle(), signal, null, 0) == 0)
            return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == ESRCH ? false : throw Errno.Exception(errno, "pidfd_send_signal");
    }

    /// <summary>Waits until the process has exited (its pidfd turns readable); false when <paramref name="timeout"/> passes first.</summary>
    public static bool WaitForExit(SafeFileHandle pidfd, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            var poll = new PollFd { Fd = (int)pidfd.DangerousGetHandle(), Events = POLLIN };
            var remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
            var ready = Poll(&poll, 1, remaining);
            if (ready > 0)
                return true;
            if (ready == 0)
                return false;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
                throw Errno.Exception(errno, "poll pidfd");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pidfd_open(int pid, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pidfd_send_signal(int pidfd, int signal, void* info, uint flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);
}
