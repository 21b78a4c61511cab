using Caisson.Api.V1;
using Caisson.Cli.Progress;
using Caisson.Core.Errors;
using Grpc.Core;

namespace Caisson.Cli.Commands;

/// <summary>One pull through the daemon with its progress shown: what `caisson pull` does, and `caisson run` for a missing image.</summary>
internal static class ImagePull
{
    /// <summary>Streams the pull's progress into <paramref name="view"/> and returns the daemon's final message.</summary>
    public static async Task<PullProgress> RunAsync(CommandInvocation invocation, PullRequest request, IPullProgressView view)
    {
        PullProgress? final = null;
        using (var call = invocation.Daemon.Images.Pull(request, cancellationToken: invocation.CancellationToken))
        {
            try
            {
                await foreach (var message in call.ResponseStream.ReadAllAsync(invocation.CancellationToken))
                {
                    view.Update(message);
                    if (message.Done)
                        final = message;
                }
            }
            finally
            {
                view.Complete();
            }
        }
        return final
            ?? throw new CaissonException(ErrorKind.Unavailable, $"pull {request.Reference}: the daemon ended the stream before reporting the image");
    }

    /// <summary>Bars redrawn in place on a terminal, a line per layer change elsewhere.</summary>
    public static IPullProgressView CreateView(CliContext context, TextWriter output, bool terminal) =>
        terminal
            ? new TerminalPullProgress(output, context.Time, context.TerminalWidth)
            : new PlainPullProgress(output, context.Time);
}
