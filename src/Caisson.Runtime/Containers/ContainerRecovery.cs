using Caisson.Core.Errors;
using Caisson.Runtime.Shim;
using Microsoft.Extensions.Logging;

namespace Caisson.Runtime.Containers;

/// <summary>Containers whose shim is gone: the exit it recorded, or an unknown exit when it recorded none.</summary>
public sealed partial class ContainerManager
{
    /// <summary>
    /// At start-up every created or running container is checked against its shim, so one whose shim died
    /// while the daemon was down shows as exited at once (and is logged), not at the first status request.
    /// </summary>
    private async Task ReconcileWithShimsAsync()
    {
        foreach (var record in _store.All.Where(r => r.State is ContainerState.Created or ContainerState.Running))
        {
            try
            {
                await RefreshAsync(record, CancellationToken.None).ConfigureAwait(false);
            }
            catch (CaissonException e)
            {
                Log.ShimCheckFailed(_logger, record.Id, e.Message);
            }
        }
    }

    /// <summary>
    /// The shim does not answer: its exit file if it left one; an unknown exit if its process is gone too (it
    /// was killed, or the node rebooted); null while the process lives, as it may only be slow to accept.
    /// </summary>
    private ContainerExit? ExitWithoutShim(ContainerRecord record)
    {
        var state = new ShimStateDirectory(ShimState(record));
        if (state.ReadExit() is { State: ShimContainerState.Exited } recorded)
            return ContainerExit.FromShim(recorded, _time.GetUtcNow());
        if (ShimProcess.Find(state) is not null)
            return null;
        Log.ShimLost(_logger, record.Id, record.Key, record.State);
        return ContainerExit.Unknown(_time.GetUtcNow());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3120, Level = LogLevel.Warning,
            Message = "Container {Id} ({Key}) was {State} but its shim is gone and recorded no exit; marking it exited with an unknown status")]
        public static partial void ShimLost(ILogger logger, string id, string key, ContainerState state);

        [LoggerMessage(EventId = 3121, Level = LogLevel.Warning, Message = "Container {Id}: could not check its shim at start-up: {Reason}")]
        public static partial void ShimCheckFailed(ILogger logger, string id, string reason);
    }
}
