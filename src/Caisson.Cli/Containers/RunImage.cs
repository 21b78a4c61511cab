using Caisson.Api.V1;
using Caisson.Cli.Commands;
using Caisson.Cli.Output;
using Caisson.Core.Errors;

namespace Caisson.Cli.Containers;

/// <summary>Makes sure the image `caisson run` needs is in the store, pulling it as `caisson pull` would, on stderr.</summary>
internal static class RunImage
{
    /// <summary>Returns the image's Entrypoint and Cmd, which decide what the container runs.</summary>
    public static async Task<ImageDefaults> EnsureAsync(CommandInvocation invocation, RunOptions options)
    {
        if (options.Pull != PullPolicy.Always && await TryInspectAsync(invocation, options.Image) is { } present)
            return ImageDefaults.Parse(present.ConfigJson);
        if (options.Pull == PullPolicy.Never)
            throw new NotFoundException($"image {options.Image} is not in the store, and --pull never forbids pulling it");

        var error = invocation.Context.Error;
        if (options.Pull == PullPolicy.Missing)
            error.WriteLine($"Unable to find image '{options.Image}' locally");
        var view = ImagePull.CreateView(invocation.Context, error, invocation.Context.ErrorIsTerminal);
        var pulled = await ImagePull.RunAsync(invocation, new PullRequest { Reference = options.Image }, view);
        error.WriteLine($"Pulled {(string.IsNullOrEmpty(pulled.Reference) ? options.Image : pulled.Reference)} ({ImageText.ShortId(pulled.ImageId)})");
        var inspected = await TryInspectAsync(invocation, pulled.ImageId)
            ?? throw new NotFoundException($"image {options.Image} was pulled as {pulled.ImageId}, but the daemon no longer has it");
        return ImageDefaults.Parse(inspected.ConfigJson);
    }

    private static Task<InspectResponse?> TryInspectAsync(CommandInvocation invocation, string reference) =>
        DaemonObjects.UnlessNotFoundAsync(async () => await invocation.Daemon.Images.InspectAsync(
            new InspectRequest { Reference = reference }, cancellationToken: invocation.CancellationToken));
}
