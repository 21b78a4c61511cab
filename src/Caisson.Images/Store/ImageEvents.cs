using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Caisson.Images.Store;

/// <summary>Something that happened in the store, for `caisson events` and watchers.</summary>
public sealed record StoreEvent(DateTimeOffset Time, string Type, string Subject, IReadOnlyDictionary<string, string> Attributes);

/// <summary>Fans events out to every subscriber; a slow subscriber loses its oldest events rather than stalling the store.</summary>
public sealed class ImageEvents(TimeProvider time)
{
    private readonly ConcurrentDictionary<Channel<StoreEvent>, byte> _subscribers = new();

    public void Publish(string type, string subject, IReadOnlyDictionary<string, string>? attributes = null)
    {
        var e = new StoreEvent(time.GetUtcNow(), type, subject, attributes ?? new Dictionary<string, string>());
        foreach (var channel in _subscribers.Keys)
            channel.Writer.TryWrite(e);
    }

    /// <summary>Registers a subscriber now (events from this moment on are kept for it); dispose to leave.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
        _subscribers[channel] = 0;
        return new Subscription(this, channel);
    }

    /// <summary>One subscriber's queue of events.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly ImageEvents _owner;
        private readonly Channel<StoreEvent> _channel;

        internal Subscription(ImageEvents owner, Channel<StoreEvent> channel)
        {
            _owner = owner;
            _channel = channel;
        }

        public IAsyncEnumerable<StoreEvent> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);

        public void Dispose() => _owner._subscribers.TryRemove(_channel, out _);
    }
}
