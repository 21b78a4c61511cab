using System.Globalization;
using Caisson.Shim.Control;
using Caisson.Shim.Logging;
using Caisson.Shim.Native;

namespace Caisson.Shim;

internal sealed partial class Shim
{
    private readonly OomCounter oomKills = new(options.OomEventsPath);

    /// <summary>Becomes the container's parent: subreaper, stdio pipes, <c>runc create</c>.</summary>
    private unsafe void Create()
    {
        // Writes to a stdin pipe whose reader is gone must fail with EPIPE, not kill the shim.
        Libc.signal(Libc.SIGPIPE, 1 /* SIG_IGN */);
        if (Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
            throw Libc.Failure("prctl(PR_SET_CHILD_SUBREAPER)");
        Libc.setsid(); // already a session leader when spawned with POSIX_SPAWN_SETSID
        if (options.ReadyFd >= 0)
            Libc.fcntl(options.ReadyFd, Libc.F_SETFD, Libc.FD_CLOEXEC);
        AtomicFile.Write(Path.Combine(options.StateDirectory, "shim.pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        try
        {
            log = new CriLogFile(options.LogPath);
        }
        catch (ShimException error)
        {
            FailCreate(error.Message);
            return;
        }

        var (stdoutRead, stdoutWrite) = Pipe();
        var (stderrRead, stderrWrite) = Pipe();
        stdout = new OutputPipe(stdoutRead, "stdout", log);
        stderr = new OutputPipe(stderrRead, "stderr", log);
        var descriptors = new List<ChildDescriptor>
        {
            new(1, stdoutWrite),
            new(2, stderrWrite),
        };
        var stdinRead = -1;
        if (options.Stdin)
        {
            (stdinRead, var stdinWrite) = Pipe();
            Libc.fcntl(stdinWrite, 4 /* F_SETFL */, Libc.O_NONBLOCK);
            stdin = new StdinPipe(stdinWrite);
            descriptors.Add(new ChildDescriptor(0, stdinRead));
        }
        else
        {
            descriptors.Add(new ChildDescriptor(0, -1, "/dev/null", Libc.O_RDONLY));
        }

        try
        {
            var pid = Spawn.Start(
                options.Runtime,
                [options.Runtime, "--root", options.RuntimeRoot, "--log", options.RuntimeLogPath,
                    "create", "--bundle", options.Bundle, "--pid-file", options.InitPidPath, options.Id],
                descriptors,
                newSession: false);
            children.Track(pid, CreateExited);
        }
        catch (ShimException error)
        {
            FailCreate(error.Message);
        }
        finally
        {
            // The container holds the other ends; EOF on ours then means every writer in it is gone.
            Libc.close(stdoutWrite);
            Libc.close(stderrWrite);
            if (stdinRead >= 0)
                Libc.close(stdinRead);
        }
    }

    private void CreateExited(int exitCode)
    {
        if (exitCode != 0)
        {
            FailCreate($"{options.Runtime} create exited with {exitCode}: {RuntimeLogTail()}");
            return;
        }

        try
        {
            var pid = int.Parse(File.ReadAllText(options.InitPidPath).Trim(), CultureInfo.InvariantCulture);
            // runc create has exited, so the init (blocked on runc's exec fifo) is now our unreaped child:
            // its pid cannot be reused while we hold it, and the pidfd keeps signals aimed at it.
            container = new ContainerStatus { Pid = pid, Pidfd = Libc.pidfd_open(pid, 0) };
            oomKills.ReadBaseline();
            if (container.Pidfd < 0)
                throw Libc.Failure("pidfd_open", $"init pid {pid}");
            children.Track(pid, InitExited);
            children.ReapStrays = true;
            socket = new ControlSocket(options.SocketPath);
            AtomicFile.Write(Path.Combine(options.StateDirectory, "ready"), container.Describe() + "\n");
            Notify("ready");
        }
        catch (Exception error) when (error is ShimException or IOException or FormatException)
        {
            FailCreate($"after {options.Runtime} create: {error.Message}");
        }
    }

    private void InitExited(int exitCode)
    {
        // A container that exits before `runc start` returns did start: the exit record says when.
        if (startInProgress)
            container!.Started(startRequestedAt);
        container!.Exited(exitCode, Clock.Now(), oomKills.HasKilled());
        Libc.close(container.Pidfd);
        container.Pidfd = -1;
        var description = container.Describe();
        AtomicFile.Write(Path.Combine(options.StateDirectory, "exit"), description + "\n");
        foreach (var waiter in exitWaiters)
            waiter.Reply("ok " + description);
        exitWaiters.Clear();
    }

    private void FailCreate(string message)
    {
        createFailed = true;
        AtomicFile.Write(Path.Combine(options.StateDirectory, "create-error"), message + "\n");
        Notify("error");
    }

    /// <summary>Tells the first stage (and so the daemon) how creation went, once.</summary>
    private unsafe void Notify(string outcome)
    {
        if (readyFdNotified || options.ReadyFd < 0)
            return;
        readyFdNotified = true;
        var bytes = System.Text.Encoding.ASCII.GetBytes(outcome + "\n");
        fixed (byte* buffer = bytes)
            Libc.write(options.ReadyFd, buffer, bytes.Length);
        Libc.close(options.ReadyFd);
    }

    private string RuntimeLogTail()
    {
        try
        {
            var text = File.ReadAllText(options.RuntimeLogPath).Trim();
            return text.Length > 2048 ? text[^2048..] : text;
        }
        catch (IOException)
        {
            return "(no runtime log)";
        }
    }

    private static unsafe (int Read, int Write) Pipe()
    {
        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) < 0)
            throw Libc.Failure("pipe2");
        return (fds[0], fds[1]);
    }
}
