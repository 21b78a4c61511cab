using System.Globalization;
using Caisson.Api.Cri;
using Caisson.Cli.Arguments;
using Caisson.Cli.Containers;
using Caisson.Core.Errors;

namespace Caisson.Cli.Commands;

/// <summary>caisson exec: runs a command in a running container and passes its output and exit code on.</summary>
internal static class ExecCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "exec",
        Usage = "caisson exec [OPTIONS] CONTAINER COMMAND [ARG...]",
        Summary = "Run a command in a running container",
        Description = "Runs COMMAND inside CONTAINER (an id, a unique start of one, or a name), in its namespaces "
            + "and as its user, waits for it, then prints what it wrote to standard output and standard error and "
            + "exits with its exit code. The command gets no input and no terminal: interactive exec (-i, -t) comes "
            + "with streaming. Everything after CONTAINER is the command, so put caisson's options before it.",
        Flags =
        [
            FlagSpec.Value("timeout", null, "SECONDS", "Kill the command after this long (0: no limit)", "0"),
            FlagSpec.Boolean("interactive", 'i', "Not supported yet: needs streaming exec"),
            FlagSpec.Boolean("tty", 't', "Not supported yet: needs streaming exec"),
        ],
        Examples =
        [
            new("caisson exec web cat /etc/os-release", "Read a file inside the container"),
            new("caisson exec web sh -c 'ls -l /proc/1/fd | wc -l'", "Shell syntax needs a shell; exit code comes back"),
        ],
        MinArguments = 2,
        MaxArguments = int.MaxValue,
        FlagsEndAtFirstArgument = true,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var arguments = invocation.Arguments;
        if (arguments.Flag("interactive") || arguments.Flag("tty"))
        {
            throw invocation.UsageError(
                "interactive exec (-i, -t) needs streaming, which caisson does not have yet; "
                + "run a command without them: its output is printed when it ends");
        }
        var timeout = arguments.Value("timeout", "0");
        if (!long.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            throw invocation.UsageError($"--timeout {timeout}: give a number of seconds");
        var runtime = invocation.Daemon.Runtime;
        var container = await DaemonObjects.GetContainerAsync(runtime, arguments.Positionals[0], invocation.CancellationToken);
        if (container.State != ContainerState.ContainerRunning)
            throw new FailedPreconditionException($"container {arguments.Positionals[0]} is not running");
        var request = new ExecSyncRequest { ContainerId = container.Id, Timeout = seconds };
        request.Cmd.AddRange(arguments.Positionals.Skip(1));
        var result = await runtime.ExecSyncAsync(request, cancellationToken: invocation.CancellationToken);
        invocation.Out.Write(result.Stdout.ToStringUtf8());
        invocation.Context.Error.Write(result.Stderr.ToStringUtf8());
        return result.ExitCode;
    }
}
