using Caisson.Api.V1;

namespace Caisson.Cli.Commands;

/// <summary>caisson tag: gives an image another name.</summary>
internal static class TagCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "tag",
        Usage = "caisson tag SOURCE TARGET",
        Summary = "Give an image another name",
        Description = "Adds the name TARGET to the image SOURCE refers to (a name or an id). If TARGET already "
            + "names another image, it moves to this one. Nothing is copied: both names point at the same image.",
        Examples =
        [
            new("caisson tag busybox:1.36 localhost:5000/tools/busybox:stable", "Name an image for a local registry"),
        ],
        MinArguments = 2,
        MaxArguments = 2,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var request = new TagRequest { Source = invocation.Arguments.Positionals[0], Target = invocation.Arguments.Positionals[1] };
        await invocation.Daemon.Images.TagAsync(request, cancellationToken: invocation.CancellationToken);
        return ExitCodes.Success;
    }
}
