using Caisson.Api.Cri;
using Google.Protobuf;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    /// <summary>A timeout kills the command with its children and answers DeadlineExceeded.</summary>
    public override async Task<ExecSyncResponse> ExecSync(ExecSyncRequest request, ServerCallContext context)
    {
        var timeout = request.Timeout > 0 ? TimeSpan.FromSeconds(request.Timeout) : (TimeSpan?)null;
        var result = await _containers.ExecSyncAsync(request.ContainerId, request.Cmd, timeout, context.CancellationToken).ConfigureAwait(false);
        return new ExecSyncResponse
        {
            ExitCode = result.ExitCode,
            Stdout = ByteString.CopyFrom(result.Stdout),
            Stderr = ByteString.CopyFrom(result.Stderr),
        };
    }
}
