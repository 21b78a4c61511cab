using Caisson.Api.Cri;
using Caisson.Cli.Commands;
using Caisson.Cli.Logs;
using Grpc.Core;

namespace Caisson.Cli.Containers;

/// <summary>
/// `caisson run` without -d: shows the container's output as it is logged until it exits, then hands back its exit
/// code. Ctrl-C stops the container (its stop signal, then SIGKILL after --stop-timeout) and still waits for it.
/// </summary>
internal static class ForegroundRun
{
    public static async Task<int> WaitAsync(CommandInvocation invocation, string containerId, string podId, RunOptions options)
    {
        var runtime = invocation.Daemon.Runtime;
        var status = await DaemonObjects.StatusAsync(runtime, containerId, CancellationToken.None);
        var printer = new LogPrinter(invocation.Out, invocation.Context.Error, timestamps: false);
        using var log = new CriLogFile(status.LogPath, new CriLogDecoder(printer.Write));
        try
        {
            await FollowAsync(log, runtime, containerId, printer, invocation.CancellationToken);
        }
        catch (Exception e) when (invocation.CancellationToken.IsCancellationRequested
            && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            printer.Flush();
            invocation.Context.Error.WriteLine($"caisson: stopping {status.Metadata?.Name} (Ctrl-C again to quit without waiting)");
            await runtime.StopContainerAsync(
                new StopContainerRequest { ContainerId = containerId, Timeout = options.StopTimeoutSeconds }, cancellationToken: CancellationToken.None);
            await FollowAsync(log, runtime, containerId, printer, CancellationToken.None);
        }
        var exited = await DaemonObjects.StatusAsync(runtime, containerId, CancellationToken.None);
        if (options.RemoveAfterExit)
            await CliPods.RemoveContainerAsync(invocation.Daemon, containerId, podId, CancellationToken.None);
        return exited.ExitCode;
    }

    private static Task FollowAsync(
        CriLogFile log, RuntimeService.RuntimeServiceClient runtime, string containerId, LogPrinter printer, CancellationToken cancellationToken) =>
        LogFollower.FollowAsync(
            log,
            async token => (await DaemonObjects.StatusAsync(runtime, containerId, token)).State == ContainerState.ContainerExited,
            printer.Flush,
            cancellationToken);
}
