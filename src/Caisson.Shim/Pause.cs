using System.Text;
using Caisson.Shim.Native;

namespace Caisson.Shim;

/// <summary>
/// <c>caisson-shim pause --id SANDBOX --pid-file PATH</c>: the process that keeps a pod's PID namespace alive, built
/// into Caisson so nothing is pulled for it. This first stage unshares a new PID namespace and spawns the second
/// stage into it (new session, stdio on /dev/null), which is therefore PID 1 there; once the second stage says it
/// is ready, it writes its pid as the host sees it to PATH and exits 0. The second stage ignores SIGCHLD, so the kernel reaps every child
/// it is given (orphans of the pod's containers are re-parented to it) without it waking up, and sleeps until
/// killed: PID 1 of a namespace ignores every signal it has no handler for except the SIGKILL the daemon sends
/// from outside. When it dies, the kernel kills everything else in the namespace.
/// </summary>
internal static unsafe class Pause
{
    public const string Command = "pause";

    // What ps shows.
    private const string ProcessName = "caisson-pause";
    private const int ReadyFd = 3;

    public static int Run(IReadOnlyList<string> arguments)
    {
        string? id = null;
        string? pidFile = null;
        var init = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case "--init":
                    init = true;
                    break;
                case "--id" when i + 1 < arguments.Count:
                    id = arguments[++i];
                    break;
                case "--pid-file" when i + 1 < arguments.Count:
                    pidFile = arguments[++i];
                    break;
                default:
                    throw new ShimException($"pause: unknown or incomplete argument '{arguments[i]}'");
            }
        }

        if (string.IsNullOrEmpty(id) || id.StartsWith('-'))
            throw new ShimException("pause: --id is required");
        if (init)
            return RunAsInit();
        if (string.IsNullOrEmpty(pidFile))
            throw new ShimException("pause: --pid-file is required");
        return Start(id, Path.GetFullPath(pidFile));
    }

    private static int Start(string id, string pidFile)
    {
        // From here on the kernel refuses to create threads in this process (CLONE_THREAD across PID namespaces):
        // this stage only spawns, reads a pipe and writes a file, which the runtime does on this thread.
        if (Libc.unshare(Libc.CLONE_NEWPID) < 0)
            throw Libc.Failure("unshare", "CLONE_NEWPID");
        var executable = Environment.ProcessPath ?? throw new ShimException("cannot find the shim's own executable");
        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) < 0)
            throw Libc.Failure("pipe2");
        int pid;
        try
        {
            pid = Spawn.Start(
                executable,
                [executable, Command, "--id", id, "--init"],
                [
                    new ChildDescriptor(0, -1, "/dev/null", Libc.O_RDONLY),
                    new ChildDescriptor(1, -1, "/dev/null", Libc.O_WRONLY),
                    new ChildDescriptor(2, 1),
                    new ChildDescriptor(ReadyFd, fds[1]),
                ],
                newSession: true);
        }
        finally
        {
            Libc.close(fds[1]);
        }

        // Until the second stage says so, its exec may not be complete (its command line is what the daemon
        // checks before it trusts the pid) and it may not ignore SIGCHLD yet.
        var outcome = FirstStage.ReadAll(fds[0]);
        Libc.close(fds[0]);
        if (outcome != "ready")
            throw new ShimException($"pause: the process in the new PID namespace (pid {pid}) exited before it was ready");
        AtomicFile.Write(pidFile, pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        return 0;
    }

    private static int RunAsInit()
    {
        // The working directory would otherwise keep the daemon's directory busy for as long as the pod lives.
        Directory.SetCurrentDirectory("/");
        var name = Encoding.ASCII.GetBytes(ProcessName + "\0");
        fixed (byte* pointer = name)
            Libc.prctl(Libc.PR_SET_NAME, (nuint)pointer, 0, 0, 0);
        if (Libc.signal(Libc.SIGCHLD, Libc.SIG_IGN) == -1)
            throw Libc.Failure("signal", "SIGCHLD");
        var ready = "ready"u8;
        fixed (byte* pointer = ready)
            Libc.write(ReadyFd, pointer, ready.Length);
        Libc.close(ReadyFd);
        while (true)
            Libc.pause();
    }
}
