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

    public async IAsyncEnumerable<StoreEvent> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
        _subscribers[channel] = 0;
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return e;
        }
        finally
        {
            _subscribers.TryRemove(channel, out _);
        }
    }
}
