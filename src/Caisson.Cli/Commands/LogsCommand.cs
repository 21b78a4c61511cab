using System.Globalization;
using Caisson.Api.Cri;
using Caisson.Cli.Arguments;
using Caisson.Cli.Containers;
using Caisson.Cli.Logs;
using Caisson.Core.Errors;

namespace Caisson.Cli.Commands;

/// <summary>caisson logs: a container's output from its CRI log file, like `docker logs`.</summary>
internal static class LogsCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "logs",
        Usage = "caisson logs [OPTIONS] CONTAINER",
        Summary = "Show a container's output",
        Description = "Prints what CONTAINER (an id, a unique start of one, or a name) wrote: its standard output "
            + "to ours and its standard error to ours, read from the log file the daemon keeps for it. -f keeps "
            + "printing new output as it is written until the container exits, following the file across a log "
            + "rotation. Lines the container wrote in pieces are printed whole.",
        Flags =
        [
            FlagSpec.Boolean("follow", 'f', "Keep printing new output until the container exits"),
            FlagSpec.Value("tail", 'n', "N", "Print only the last N lines", "all"),
            FlagSpec.Boolean("timestamps", 't', "Start each line with the time it was logged (RFC 3339)"),
        ],
        Examples =
        [
            new("caisson logs web", "Everything the container named web printed"),
            new("caisson logs -f --tail 20 web", "The last 20 lines, then new ones as they come"),
            new("caisson logs -t web 2>&1 | grep ERROR", "Errors with their times; stderr goes through the pipe too"),
        ],
        MinArguments = 1,
        MaxArguments = 1,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var arguments = invocation.Arguments;
        var tail = ReadTail(invocation);
        var runtime = invocation.Daemon.Runtime;
        var container = await DaemonObjects.GetContainerAsync(runtime, arguments.Positionals[0], invocation.CancellationToken);
        var status = await DaemonObjects.StatusAsync(runtime, container.Id, invocation.CancellationToken);
        if (string.IsNullOrEmpty(status.LogPath))
            throw new FailedPreconditionException($"container {arguments.Positionals[0]} has no log file: its pod was created without a log directory");

        var printer = new LogPrinter(invocation.Out, invocation.Context.Error, arguments.Flag("timestamps"));
        var lastLines = tail is null ? null : new Queue<LogLine>();
        using var log = new CriLogFile(status.LogPath, new CriLogDecoder(line =>
        {
            if (lastLines is null)
            {
                printer.Write(line);
                return;
            }
            lastLines.Enqueue(line);
            if (lastLines.Count > tail)
                lastLines.Dequeue();
        }));
        var follow = arguments.Flag("follow");
        log.ReadAvailable();
        if (!follow)
            log.Finish();
        foreach (var line in lastLines ?? [])
            printer.Write(line);
        lastLines = null;
        printer.Flush();
        if (follow)
        {
            await LogFollower.FollowAsync(
                log,
                async token => (await DaemonObjects.StatusAsync(runtime, container.Id, token)).State == ContainerState.ContainerExited,
                printer.Flush,
                invocation.CancellationToken);
        }
        return ExitCodes.Success;
    }

    private static int? ReadTail(CommandInvocation invocation)
    {
        var value = invocation.Arguments.Value("tail", "all");
        if (value == "all")
            return null;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw invocation.UsageError($"--tail {value}: give a number of lines, or all");
    }
}
