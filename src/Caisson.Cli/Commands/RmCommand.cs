using Caisson.Api.Cri;
using Caisson.Cli.Arguments;
using Caisson.Cli.Containers;
using Caisson.Core.Errors;

namespace Caisson.Cli.Commands;

/// <summary>caisson rm: removes containers (and the pods `caisson run` made for them), like `docker rm`.</summary>
internal static class RmCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "rm",
        Usage = "caisson rm [OPTIONS] CONTAINER [CONTAINER...]",
        Summary = "Remove containers",
        Description = "Removes each CONTAINER (an id, a unique start of one, or a name) with its writable layer. "
            + "A running container is refused unless --force is given, which kills it first. When `caisson run` "
            + "created the container, its pod goes too once no other container is in it, and so do its logs. Each "
            + "one removed is printed as it was named; every CONTAINER is tried even when one fails.",
        Flags = [FlagSpec.Boolean("force", 'f', "Kill a running container (SIGKILL) and remove it")],
        Examples =
        [
            new("caisson rm web", "Remove the stopped container named web"),
            new("caisson rm -f $(caisson ps -aq)", "Remove every container, running or not"),
        ],
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var force = invocation.Arguments.Flag("force");
        var runtime = invocation.Daemon.Runtime;
        var containers = await DaemonObjects.ListContainersAsync(runtime, invocation.CancellationToken);
        return await invocation.ForEachArgumentAsync(async reference =>
        {
            var container = ReferenceMatcher.Get(containers, reference, c => c.Id, DaemonObjects.NameOf, "container");
            var status = await DaemonObjects.StatusAsync(runtime, container.Id, invocation.CancellationToken);
            if (status.State == ContainerState.ContainerRunning)
            {
                if (!force)
                    throw new FailedPreconditionException($"container {reference} is running: stop it first (caisson stop {reference}) or use caisson rm -f");
                await runtime.StopContainerAsync(new StopContainerRequest { ContainerId = container.Id, Timeout = 0 }, cancellationToken: invocation.CancellationToken);
            }
            await CliPods.RemoveContainerAsync(invocation.Daemon, container.Id, container.PodSandboxId, invocation.CancellationToken);
            invocation.Out.WriteLine(reference);
        });
    }
}
