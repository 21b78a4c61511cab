using Caisson.Images.Store;

namespace Caisson.Tests.Images.Archive;

/// <summary>Subscribes to store events at construction, so nothing published afterwards is missed.</summary>
internal sealed class EventRecorder : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ImageEvents.Subscription _subscription;
    private readonly IAsyncEnumerator<StoreEvent> _events;
    private ValueTask<bool> _next;

    public EventRecorder(ImageEvents events)
    {
        _subscription = events.Subscribe();
        _events = _subscription.ReadAllAsync(_stop.Token).GetAsyncEnumerator();
        _next = _events.MoveNextAsync();
    }

    public async Task<List<StoreEvent>> TakeAsync(int count)
    {
        var taken = new List<StoreEvent>();
        while (taken.Count < count)
        {
            Assert.True(await _next.AsTask().WaitAsync(TimeSpan.FromSeconds(10)), "the event stream ended");
            taken.Add(_events.Current);
            _next = _events.MoveNextAsync();
        }

        return taken;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _subscription.Dispose();
        _stop.Dispose();
    }
}
