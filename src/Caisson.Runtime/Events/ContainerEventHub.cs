using System.Threading.Channels;
using Caisson.Core.Errors;
using Caisson.Runtime.Containers;
using Caisson.Runtime.Sandboxes;
using Microsoft.Extensions.Logging;

namespace Caisson.Runtime.Events;

/// <summary>
/// Fans container and sandbox lifecycle events out to subscribers (the CRI GetContainerEvents streams). Each
/// subscriber has a bounded queue; one that falls <see cref="Capacity"/> events behind is disconnected rather than
/// silently skipped: a gap would leave the kubelet's pod cache wrong until its next relist, whereas a broken stream
/// makes it relist and subscribe again at once. Publishing never blocks on a subscriber.
/// </summary>
public sealed partial class ContainerEventHub
{
    public const int DefaultCapacity = 1000;

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<ContainerEventSubscription> _subscribers = [];
    private Func<string, IReadOnlyList<ContainerRecord>> _containersOf = _ => [];
    private long _lastTimestamp;
    private bool _closed;

    public ContainerEventHub(ILoggerFactory loggers, TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _logger = loggers.CreateLogger<ContainerEventHub>();
        Capacity = capacity;
    }

    /// <summary>How many unread events a subscriber may have before it is disconnected.</summary>
    public int Capacity { get; }

    /// <summary>Where the pod's containers are read from when an event is published (the container manager's store).</summary>
    internal void UseContainerSource(Func<string, IReadOnlyList<ContainerRecord>> containersOfSandbox) =>
        _containersOf = containersOfSandbox;

    /// <summary>A new subscriber; it sees every event published from now on, until it is disposed or falls behind.</summary>
    public ContainerEventSubscription Subscribe()
    {
        lock (_gate)
        {
            if (_closed)
                throw new CaissonException(ErrorKind.Unavailable, "container events: the daemon is shutting down");
            var subscription = new ContainerEventSubscription(this, Channel.CreateBounded<ContainerEvent>(
                new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait }));
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>
    /// Publishes an event for <paramref name="containerId"/> (a sandbox's own events carry its id here too) with a
    /// snapshot of the pod taken now. Under one lock, so every subscriber sees events in the order their snapshots
    /// were taken, with increasing timestamps.
    /// </summary>
    public void Publish(ContainerEventKind kind, string containerId, string sandboxId, SandboxRecord? sandbox)
    {
        lock (_gate)
        {
            if (_subscribers.Count == 0)
                return;
            var now = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
            _lastTimestamp = Math.Max(now, _lastTimestamp + 1);
            var containers = _containersOf(sandboxId).Where(c => c.State != ContainerState.Creating).ToList();
            var change = new ContainerEvent(containerId, kind, _lastTimestamp, sandbox, containers);
            foreach (var subscriber in _subscribers.ToList())
            {
                if (subscriber.Writer.TryWrite(change))
                    continue;
                _subscribers.Remove(subscriber);
                subscriber.Writer.TryComplete(new CaissonException(ErrorKind.ResourceExhausted,
                    $"container events: the subscriber fell {Capacity} events behind and was disconnected; subscribe again and relist"));
                Log.SubscriberDropped(_logger, Capacity);
            }
        }
    }

    /// <summary>Ends every subscription (their streams finish normally) and refuses new ones: the daemon is stopping.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            foreach (var subscriber in _subscribers)
                subscriber.Writer.TryComplete();
            _subscribers.Clear();
        }
    }

    internal void Unsubscribe(ContainerEventSubscription subscription)
    {
        lock (_gate)
            _subscribers.Remove(subscription);
        subscription.Writer.TryComplete();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "A container event subscriber fell {Capacity} events behind and was disconnected")]
        public static partial void SubscriberDropped(ILogger logger, int capacity);
    }
}
