using Caisson.Api.V1;
using Caisson.Cli.Arguments;
using Caisson.Core.Errors;
using Google.Protobuf;
using Grpc.Core;

namespace Caisson.Cli.Commands;

/// <summary>caisson load: streams an image archive to the daemon, which imports it.</summary>
internal static class LoadCommand
{
    /// <summary>Chunk size on the wire: big enough to keep the stream efficient, far under message size limits.</summary>
    internal const int ChunkBytes = 1024 * 1024;

    public static CommandSpec Spec { get; } = new()
    {
        Name = "load",
        Usage = "caisson load [-i FILE]",
        Summary = "Import images from a tar archive",
        Description = "Sends a tar archive made by `docker save`, `caisson save` or any OCI image layout to "
            + "caissond, which imports every image in it and prints their names. The archive is read from FILE, or "
            + "from standard input when -i is absent or \"-\"; it is streamed, never held in memory whole.",
        Flags = [FlagSpec.Value("input", 'i', "FILE", "Archive to read", "standard input")],
        Examples =
        [
            new("caisson load -i busybox.tar", "Import an archive"),
            new("docker save alpine | caisson load", "Copy an image from docker"),
        ],
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var path = invocation.Arguments.Value("input", "-");
        await using var input = OpenInput(invocation, path);
        using var call = invocation.Daemon.Images.Load(cancellationToken: invocation.CancellationToken);
        var sendFailure = await SendAsync(call, input, invocation.CancellationToken);
        var response = await call.ResponseAsync;
        if (sendFailure is not null)
            throw sendFailure;
        foreach (var name in response.Loaded)
        {
            invocation.Out.WriteLine(name.StartsWith("sha256:", StringComparison.Ordinal)
                ? $"Loaded image ID: {name}"
                : $"Loaded image: {name}");
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// Streams <paramref name="input"/> and completes the request. Returns why sending stopped early, or null; when
    /// the daemon ended the call first (a bad archive, say), its status in the response says why.
    /// </summary>
    private static async Task<Exception?> SendAsync(
        AsyncClientStreamingCall<LoadChunk, LoadResponse> call, Stream input, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkBytes];
        int read;
        while ((read = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
        {
            var write = call.RequestStream.WriteAsync(new LoadChunk { Data = ByteString.CopyFrom(buffer, 0, read) }, cancellationToken);
            // A write can wait forever for HTTP/2 flow-control window after the daemon has answered and stopped
            // reading, so watch the response too. Disposing the call ends the abandoned write.
            if (await Task.WhenAny(write, call.ResponseAsync) != write)
                return new CaissonException(ErrorKind.Internal, "the daemon ended the load before the whole archive was sent");
            try
            {
                await write;
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException or IOException
                                      && !cancellationToken.IsCancellationRequested)
            {
                return e;
            }
        }
        await call.RequestStream.CompleteAsync();
        return null;
    }

    private static Stream OpenInput(CommandInvocation invocation, string path)
    {
        if (path != "-")
        {
            try
            {
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, useAsync: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidArgumentException($"cannot read {path}: {e.Message}", e);
            }
        }
        if (invocation.Context.InputIsTerminal)
            throw new FailedPreconditionException("refusing to read an image archive from a terminal: give -i FILE or redirect standard input");
        return invocation.Context.Input;
    }
}
