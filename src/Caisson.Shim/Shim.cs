using Caisson.Shim.Control;
using Caisson.Shim.Logging;
using Caisson.Shim.Native;

namespace Caisson.Shim;

/// <summary>
/// The detached shim: one thread, one poll loop over the container's stdio pipes, the control socket and
/// its clients, and pidfds of its children. Nothing here waits on the daemon.
/// </summary>
internal sealed partial class Shim(ShimOptions options) : IDisposable
{
    // Orphans re-parented to the subreaper have no pidfd; a periodic waitpid(-1) collects them.
    private const int IdlePollMilliseconds = 1000;

    // After the container exits, a descendant that escaped it (no pid namespace) may hold the pipes open.
    private static readonly TimeSpan DrainAfterExit = TimeSpan.FromSeconds(2);

    private readonly ChildProcesses children = new();
    private readonly List<ControlConnection> connections = [];
    private readonly List<Libc.PollFd> pollFds = [];
    private readonly List<string> requests = [];
    private readonly byte[] stdinChunk = new byte[64 * 1024];
    private CriLogFile? log;
    private OutputPipe? stdout;
    private OutputPipe? stderr;
    private StdinPipe? stdin;
    private ControlSocket? socket;
    private ContainerStatus? container;
    private DateTime? exitedAtMonotonic;
    private bool shutdownRequested;
    private bool createFailed;

    public int Run()
    {
        Create();
        while (!ShouldExit())
        {
            Poll();
            children.Reap();
        }

        return createFailed ? 1 : 0;
    }

    private bool ShouldExit()
    {
        var finished = createFailed || (shutdownRequested && container?.State == ContainerState.Exited);
        if (!finished)
            return false;
        var drained = !(stdout?.IsOpen ?? false) && !(stderr?.IsOpen ?? false);
        return drained || DrainExpired();
    }

    private bool DrainExpired()
    {
        exitedAtMonotonic ??= DateTime.UtcNow;
        return DateTime.UtcNow - exitedAtMonotonic > DrainAfterExit;
    }

    private unsafe void Poll()
    {
        pollFds.Clear();
        AddPollFd(stdout?.Fd ?? -1, Libc.POLLIN);
        AddPollFd(stderr?.Fd ?? -1, Libc.POLLIN);
        AddPollFd(stdin is { IsOpen: true, HasPending: true } ? stdin.Fd : -1, Libc.POLLOUT);
        AddPollFd(socket?.Fd ?? -1, Libc.POLLIN);
        var stdinBlocked = stdin is { HasPending: true };
        foreach (var connection in connections)
            AddPollFd(connection.IsStdinStream && stdinBlocked ? -1 : connection.Fd, Libc.POLLIN);
        children.AddPollFds(pollFds);

        var timeout = container?.State == ContainerState.Exited || createFailed ? 100 : IdlePollMilliseconds;
        var fds = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pollFds);
        int ready;
        fixed (Libc.PollFd* pointer = fds)
            ready = Libc.poll(pointer, (nuint)fds.Length, timeout);
        if (ready <= 0)
            return;

        const short readable = Libc.POLLIN | Libc.POLLHUP | Libc.POLLERR;
        if ((fds[0].Revents & readable) != 0)
            stdout!.ReadAvailable();
        if ((fds[1].Revents & readable) != 0)
            stderr!.ReadAvailable();
        if ((fds[2].Revents & (Libc.POLLOUT | Libc.POLLERR | Libc.POLLHUP)) != 0)
            stdin!.Flush();
        // Only the connections that were polled: ones accepted below have no entry in fds yet.
        var polledConnections = connections.Count;
        for (var i = 0; i < polledConnections; i++)
        {
            if ((fds[4 + i].Revents & (readable | Libc.POLLNVAL)) != 0)
                Serve(connections[i]);
        }

        if ((fds[3].Revents & Libc.POLLIN) != 0)
            AcceptAll();

        connections.RemoveAll(connection => connection.IsClosed);
    }

    private void AddPollFd(int fd, short events) => pollFds.Add(new Libc.PollFd { Fd = fd, Events = events });

    private void AcceptAll()
    {
        int fd;
        while ((fd = socket!.Accept()) >= 0)
            connections.Add(new ControlConnection(fd));
    }

    private void Serve(ControlConnection connection)
    {
        if (connection.IsStdinStream)
        {
            var count = connection.ReadRaw(stdinChunk);
            if (count == 0)
                connection.Dispose();
            else if (count > 0)
                stdin?.Write(stdinChunk.AsSpan(0, count));
            return;
        }

        requests.Clear();
        var open = connection.ReadRequests(requests);
        foreach (var request in requests)
            Handle(connection, request);
        if (!open)
            connection.Dispose();
    }

    public void Dispose()
    {
        foreach (var connection in connections)
            connection.Dispose();
        socket?.Dispose();
        stdout?.Dispose();
        stderr?.Dispose();
        stdin?.Dispose();
        log?.Dispose();
        children.Dispose();
    }
}
