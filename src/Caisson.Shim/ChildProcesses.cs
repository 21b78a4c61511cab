using Caisson.Shim.Native;

namespace Caisson.Shim;

/// <summary>
/// The shim's children (runc invocations, the container's init) and, as a subreaper, any orphan re-parented
/// to it. Each tracked child has a pidfd the event loop polls; a tracked pid is only waited for by its own
/// pid, so no exit status is lost to a stray-reaping waitpid(-1) before the child was tracked.
/// </summary>
internal sealed unsafe class ChildProcesses : IDisposable
{
    private readonly Dictionary<int, (int Pidfd, Action<int> OnExit)> tracked = [];
    private readonly List<int> scratch = [];

    /// <summary>Set once every child that matters is tracked; until then orphans are left as zombies.</summary>
    public bool ReapStrays { get; set; }

    public int Count => tracked.Count;

    /// <summary>Watches <paramref name="pid"/>, which must be an unreaped child (so its pid cannot be reused yet).</summary>
    public void Track(int pid, Action<int> onExit)
    {
        var pidfd = Libc.pidfd_open(pid, 0);
        if (pidfd < 0)
            throw Libc.Failure("pidfd_open", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        tracked[pid] = (pidfd, onExit);
    }

    public void AddPollFds(List<Libc.PollFd> fds)
    {
        foreach (var child in tracked.Values)
            fds.Add(new Libc.PollFd { Fd = child.Pidfd, Events = Libc.POLLIN });
    }

    /// <summary>Collects every exited child, calling the handler of each tracked one with its exit code.</summary>
    public void Reap()
    {
        scratch.Clear();
        scratch.AddRange(tracked.Keys);
        int status;
        foreach (var pid in scratch)
        {
            if (Libc.waitpid(pid, &status, Libc.WNOHANG) == pid)
                Exited(pid, status);
        }

        if (!ReapStrays)
            return;
        int reaped;
        while ((reaped = Libc.waitpid(-1, &status, Libc.WNOHANG)) > 0)
        {
            if (tracked.ContainsKey(reaped))
                Exited(reaped, status);
        }
    }

    private void Exited(int pid, int status)
    {
        var child = tracked[pid];
        tracked.Remove(pid);
        Libc.close(child.Pidfd);
        child.OnExit(Libc.ExitCodeOf(status));
    }

    public void Dispose()
    {
        foreach (var child in tracked.Values)
            Libc.close(child.Pidfd);
        tracked.Clear();
    }
}
