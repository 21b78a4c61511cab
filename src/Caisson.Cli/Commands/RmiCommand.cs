using Caisson.Api.V1;
using Caisson.Cli.Arguments;

namespace Caisson.Cli.Commands;

/// <summary>caisson rmi: removes names, or images with all their names.</summary>
internal static class RmiCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "rmi",
        Usage = "caisson rmi [OPTIONS] IMAGE [IMAGE...]",
        Summary = "Remove images",
        Description = "Removes each IMAGE, given by name or by id. Removing one of several names of an image only "
            + "untags it; the image goes with its last name. --force removes the image with every name it has. "
            + "Layers no other image uses are deleted. Every IMAGE is tried even when one fails.",
        Flags = [FlagSpec.Boolean("force", 'f', "Remove the image and all its names even when given one name")],
        Examples =
        [
            new("caisson rmi busybox", "Remove busybox:latest"),
            new("caisson rmi -f 3f57d9401f8d", "Remove an image by id with every name it has"),
        ],
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        RunAsync = RunAsync,
    };

    private static Task<int> RunAsync(CommandInvocation invocation) =>
        invocation.ForEachArgumentAsync(async reference =>
        {
            var request = new RemoveRequest { Reference = reference, Force = invocation.Arguments.Flag("force") };
            var response = await invocation.Daemon.Images.RemoveAsync(request, cancellationToken: invocation.CancellationToken);
            foreach (var name in response.Untagged)
                invocation.Out.WriteLine($"Untagged: {name}");
            foreach (var id in response.Deleted)
                invocation.Out.WriteLine($"Deleted: {id}");
        });
}
