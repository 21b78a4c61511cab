using System.Threading.Channels;
using Caisson.Core.Errors;
using Caisson.Runtime.Containers;
using Caisson.Runtime.Events;
using Caisson.Runtime.Sandboxes;
using Microsoft.Extensions.Logging;

namespace Caisson.Cri.Runtime;

/// <summary>
/// Removes a pod annotated <c>io.caisson.auto-remove: "true"</c> once every container in it has exited: what
/// <c>caisson run -d --rm</c> asks for, done by the daemon because the client is gone by then. Watches the container
/// events (an exit is seen as it happens) and sweeps at start-up for exits recorded while nobody was watching.
/// </summary>
public sealed partial class PodAutoRemoval(
    SandboxManager sandboxes, ContainerManager containers, ContainerEventHub events, ILoggerFactory loggers) : IDisposable
{
    public const string Annotation = "io.caisson.auto-remove";

    private readonly ILogger _logger = loggers.CreateLogger<PodAutoRemoval>();
    private readonly CancellationTokenSource _stopping = new();
    private ContainerEventSubscription? _subscription;

    /// <summary>Starts watching; call before container recovery so exits it records are seen.</summary>
    public void Start()
    {
        _subscription = events.Subscribe();
        _ = Task.Run(WatchAsync);
    }

    /// <summary>Removes every annotated pod whose containers have all exited.</summary>
    public async Task SweepAsync()
    {
        foreach (var sandbox in sandboxes.List().Where(Wanted))
        {
            var own = containers.ListIn(sandbox.Id).ToList();
            if (own.Count > 0 && own.All(c => c.State == ContainerState.Exited))
                await RemoveAsync(sandbox.Id).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _subscription?.Dispose();
        _stopping.Dispose();
    }

    private async Task WatchAsync()
    {
        while (!_stopping.IsCancellationRequested && _subscription is { } subscription)
        {
            try
            {
                await foreach (var change in subscription.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
                {
                    if (change.Kind == ContainerEventKind.Stopped && change.Sandbox is { } sandbox && Wanted(sandbox)
                        && change.Containers.Count > 0 && change.Containers.All(c => c.State == ContainerState.Exited))
                        _ = Task.Run(() => RemoveAsync(sandbox.Id));
                }

                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ChannelClosedException)
            {
                // Fell behind and was dropped by the hub: watch again, and catch up on what was missed.
                subscription.Dispose();
                _subscription = events.Subscribe();
                await SweepAsync().ConfigureAwait(false);
            }
        }
    }

    private static bool Wanted(SandboxRecord sandbox) =>
        SandboxManager.ConfigOf(sandbox).Annotations.TryGetValue(Annotation, out var value) && value == "true";

    private async Task RemoveAsync(string sandboxId)
    {
        try
        {
            await PodTeardown.StopAsync(sandboxes, containers, sandboxId, _stopping.Token).ConfigureAwait(false);
            await PodTeardown.RemoveAsync(sandboxes, containers, sandboxId, _stopping.Token).ConfigureAwait(false);
            Log.Removed(_logger, sandboxId);
        }
        catch (Exception e) when (e is CaissonException or OperationCanceledException)
        {
            Log.Failed(_logger, sandboxId, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Pod sandbox {Id} removed: its containers have exited and it asked for auto-removal")]
        public static partial void Removed(ILogger logger, string id);

        [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "Pod sandbox {Id}: auto-removal failed: {Reason}")]
        public static partial void Failed(ILogger logger, string id, string reason);
    }
}
