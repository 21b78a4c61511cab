using System.Collections.Concurrent;
using Caisson.Core.Errors;
using Caisson.Runtime.Events;
using Microsoft.Extensions.Logging;

namespace Caisson.Runtime.Containers;

/// <summary>
/// Lifecycle events, and the exit watchers that make a container's own exit an event: each started container has
/// a task waiting on its shim's <c>wait</c>, so the exit is recorded (and STOPPED published) as it happens rather
/// than at the next status poll.
/// </summary>
public sealed partial class ContainerManager : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetryDelay = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Lazy<Task>> _exitWatchers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Where container and sandbox lifecycle events are published (the CRI GetContainerEvents source).</summary>
    public ContainerEventHub Events => _events;

    private void Publish(ContainerEventKind kind, ContainerRecord record) =>
        _events.Publish(kind, record.Id, record.SandboxId, _sandboxes.Find(record.SandboxId));

    /// <summary>Starts the container's exit watcher unless it has one already.</summary>
    private void WatchForExit(string id)
    {
        if (!_stopping.IsCancellationRequested)
            _ = _exitWatchers.GetOrAdd(id, key => new Lazy<Task>(() => Task.Run(() => WatchForExitAsync(key)))).Value;
    }

    /// <summary>
    /// Waits for the shim to report the exit, then records it through <see cref="RefreshAsync"/>. A shim that cannot
    /// be reached (it died, or is restarting its socket) is retried with a growing delay until the exit is known or
    /// the container is removed.
    /// </summary>
    private async Task WatchForExitAsync(string id)
    {
        var delay = FirstRetryDelay;
        try
        {
            while (_store.Get(id) is { State: ContainerState.Running or ContainerState.Created } record)
            {
                try
                {
                    await Client(record).WaitAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (CaissonException e)
                {
                    // The shim is gone or unreachable; its exit file may still say how the container ended.
                    Log.ExitWaitFailed(_logger, id, e.Message);
                }

                try
                {
                    if ((await RefreshAsync(_store.Get(id) ?? record, _stopping.Token).ConfigureAwait(false)).State == ContainerState.Exited)
                        return;
                }
                catch (CaissonException e)
                {
                    Log.ExitWaitFailed(_logger, id, e.Message);
                }

                await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetryDelay.Ticks));
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Nothing waits on this task: say why the exit will only be noticed by the next status request.
            Log.ExitWatcherFailed(_logger, id, e.Message);
        }
        finally
        {
            _exitWatchers.TryRemove(id, out _);
        }
    }

    /// <summary>Stops the exit watchers and waits for them (the containers and their shims keep running).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_exitWatchers.Values.Select(w => w.Value)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3120, Level = LogLevel.Warning, Message = "Container {Id}: waiting for its exit failed, will retry: {Reason}")]
        public static partial void ExitWaitFailed(ILogger logger, string id, string reason);

        [LoggerMessage(EventId = 3121, Level = LogLevel.Error, Message = "Container {Id}: exit watcher failed; its exit will be seen at the next status request: {Reason}")]
        public static partial void ExitWatcherFailed(ILogger logger, string id, string reason);
    }
}
