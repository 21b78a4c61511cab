using Caisson.Api.Cri;
using Caisson.Cli.Arguments;
using Caisson.Cli.Containers;
using Caisson.Core.Errors;

namespace Caisson.Cli.Commands;

/// <summary>caisson stop: stops running containers, like `docker stop`.</summary>
internal static class StopCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "stop",
        Usage = "caisson stop [OPTIONS] CONTAINER [CONTAINER...]",
        Summary = "Stop running containers",
        Description = "Sends each CONTAINER (an id, a unique start of one, or a name) its stop signal (SIGTERM "
            + "unless the image says otherwise), waits up to --time seconds for it to exit, then kills it with "
            + "SIGKILL. Stopping a container that has already exited does nothing. The container stays, with its "
            + "logs, until caisson rm. Each one stopped is printed as it was named; every CONTAINER is tried even "
            + "when one fails.",
        Flags = [FlagSpec.Value("time", 't', "SECONDS", "Seconds to wait for the container to exit before killing it", "10")],
        Examples =
        [
            new("caisson stop web", "Stop the container named web"),
            new("caisson stop -t 0 $(caisson ps -q)", "Kill every running container at once"),
        ],
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        int seconds;
        try
        {
            seconds = RunOptions.ReadSeconds(invocation.Arguments.Value("time"));
        }
        catch (InvalidArgumentException e)
        {
            throw invocation.UsageError($"--time: {e.Message}");
        }
        var runtime = invocation.Daemon.Runtime;
        var containers = await DaemonObjects.ListContainersAsync(runtime, invocation.CancellationToken);
        return await invocation.ForEachArgumentAsync(async reference =>
        {
            var container = ReferenceMatcher.Get(containers, reference, c => c.Id, DaemonObjects.NameOf, "container");
            await runtime.StopContainerAsync(
                new StopContainerRequest { ContainerId = container.Id, Timeout = seconds }, cancellationToken: invocation.CancellationToken);
            invocation.Out.WriteLine(reference);
        });
    }
}
