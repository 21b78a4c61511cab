using Caisson.Api.V1;
using Caisson.Cli.Arguments;
using Caisson.Core.Errors;
using Grpc.Core;

namespace Caisson.Cli.Commands;

/// <summary>caisson save: writes images as a tar archive the daemon streams.</summary>
internal static class SaveCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "save",
        Usage = "caisson save [-o FILE] IMAGE [IMAGE...]",
        Summary = "Export images to a tar archive",
        Description = "Writes the images named as one tar archive that both `docker load` and `caisson load` "
            + "read (an OCI image layout with a docker manifest.json). The archive goes to FILE, which appears only "
            + "once complete, or to standard output when that is not a terminal.",
        Flags = [FlagSpec.Value("output", 'o', "FILE", "Archive to write", "standard output")],
        Examples =
        [
            new("caisson save -o busybox.tar busybox", "Save one image"),
            new("caisson save busybox alpine | gzip > images.tar.gz", "Save two images, compressed"),
        ],
        MinArguments = 1,
        MaxArguments = int.MaxValue,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var request = new SaveRequest { References = { invocation.Arguments.Positionals } };
        var path = invocation.Arguments.Value("output");
        if (path is null or "-")
        {
            if (invocation.Context.OutputIsTerminal)
                throw new FailedPreconditionException("refusing to write an image archive to a terminal: give -o FILE or redirect standard output");
            await invocation.Out.FlushAsync(invocation.CancellationToken);
            await CopyArchiveAsync(invocation, request, invocation.Context.OutputStream);
            return ExitCodes.Success;
        }
        // Write beside the target and rename at the end, so a failed save never leaves a truncated archive behind.
        var fullPath = Path.GetFullPath(path);
        var partial = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.partial");
        try
        {
            await using (var file = CreateFile(partial, path))
                await CopyArchiveAsync(invocation, request, file);
            File.Move(partial, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        return ExitCodes.Success;
    }

    private static FileStream CreateFile(string partialPath, string shownPath)
    {
        try
        {
            return new FileStream(partialPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidArgumentException($"cannot write {shownPath}: {e.Message}", e);
        }
    }

    private static async Task CopyArchiveAsync(CommandInvocation invocation, SaveRequest request, Stream destination)
    {
        using var call = invocation.Daemon.Images.Save(request, cancellationToken: invocation.CancellationToken);
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(invocation.CancellationToken))
            await destination.WriteAsync(chunk.Data.Memory, invocation.CancellationToken);
        await destination.FlushAsync(invocation.CancellationToken);
    }
}
