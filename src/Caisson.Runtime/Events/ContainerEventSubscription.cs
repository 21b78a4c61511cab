using System.Threading.Channels;

namespace Caisson.Runtime.Events;

/// <summary>
/// One subscriber's queue of events. Reading ends normally when the hub closes, and with a ResourceExhausted
/// <see cref="Core.Errors.CaissonException"/> when the subscriber fell too far behind. Dispose to unsubscribe.
/// </summary>
public sealed class ContainerEventSubscription : IDisposable
{
    private readonly ContainerEventHub _hub;
    private readonly Channel<ContainerEvent> _channel;

    internal ContainerEventSubscription(ContainerEventHub hub, Channel<ContainerEvent> channel)
    {
        _hub = hub;
        _channel = channel;
    }

    public ChannelReader<ContainerEvent> Reader => _channel.Reader;

    internal ChannelWriter<ContainerEvent> Writer => _channel.Writer;

    public void Dispose() => _hub.Unsubscribe(this);
}
