using System.Globalization;
using Caisson.Shim.Control;
using Caisson.Shim.Native;

namespace Caisson.Shim;

internal sealed partial class Shim
{
    private readonly List<ControlConnection> exitWaiters = [];
    private ControlConnection? startWaiter;
    private bool startInProgress;
    private Libc.Timespec startRequestedAt;
    private bool readyFdNotified;

    private void Handle(ControlConnection connection, string request)
    {
        var space = request.IndexOf(' ', StringComparison.Ordinal);
        var command = space < 0 ? request : request[..space];
        var argument = space < 0 ? "" : request[(space + 1)..].Trim();
        if (container is null)
        {
            connection.Reply("error container is not created");
            return;
        }

        switch (command)
        {
            case ShimCommands.Status:
                connection.Reply("ok " + container.Describe());
                break;
            case ShimCommands.Wait when container.State == ContainerState.Exited:
                connection.Reply("ok " + container.Describe());
                break;
            case ShimCommands.Wait:
                exitWaiters.Add(connection);
                break;
            case ShimCommands.Start:
                StartContainer(connection);
                break;
            case ShimCommands.Signal:
                SignalContainer(connection, argument);
                break;
            case ShimCommands.ReopenLog:
                try
                {
                    log!.Reopen();
                    connection.Reply("ok");
                }
                catch (ShimException error)
                {
                    connection.Reply("error " + error.Message);
                }

                break;
            case ShimCommands.Stdin when stdin is null:
                connection.Reply("error container was created without stdin");
                break;
            case ShimCommands.Stdin:
                connection.Reply("ok");
                connection.IsStdinStream = true;
                stdin.Write(connection.TakeBuffered());
                break;
            case ShimCommands.CloseStdin:
                stdin?.Close();
                connection.Reply("ok");
                break;
            case ShimCommands.Shutdown:
                shutdownRequested = true;
                connection.Reply("ok");
                break;
            default:
                connection.Reply($"error unknown request '{command}'");
                break;
        }
    }

    private void StartContainer(ControlConnection connection)
    {
        if (container!.State != ContainerState.Created || startInProgress)
        {
            connection.Reply($"error container is {(startInProgress ? "starting" : container.State.ToString().ToLowerInvariant())}, not created");
            return;
        }

        startRequestedAt = Clock.Now();
        try
        {
            var pid = Spawn.Start(
                options.Runtime,
                [options.Runtime, "--root", options.RuntimeRoot, "--log", options.RuntimeLogPath, "start", options.Id],
                [],
                newSession: false);
            startInProgress = true;
            startWaiter = connection;
            children.Track(pid, StartExited);
        }
        catch (ShimException error)
        {
            connection.Reply("error " + error.Message);
        }
    }

    private void StartExited(int exitCode)
    {
        startInProgress = false;
        var waiter = startWaiter;
        startWaiter = null;
        if (exitCode != 0)
        {
            waiter?.Reply($"error {options.Runtime} start exited with {exitCode}: {RuntimeLogTail().ReplaceLineEndings(" ")}");
            return;
        }

        container!.Started(startRequestedAt);
        waiter?.Reply("ok " + container.Describe());
    }

    private unsafe void SignalContainer(ControlConnection connection, string argument)
    {
        if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var signal) || signal is < 1 or > 64)
        {
            connection.Reply($"error invalid signal '{argument}'");
            return;
        }

        if (container!.State == ContainerState.Exited)
        {
            connection.Reply("error container has exited");
            return;
        }

        if (Libc.pidfd_send_signal(container.Pidfd, signal, null, 0) < 0)
        {
            connection.Reply("error " + Libc.Failure("pidfd_send_signal", container.Pid.ToString(CultureInfo.InvariantCulture)).Message);
            return;
        }

        connection.Reply("ok");
    }
}
