using System.Threading.Channels;
using Caisson.Api.Cri;
using Grpc.Core;

namespace Caisson.Tests.Cri;

/// <summary>
/// A GetContainerEvents stream read in the background: <see cref="NextAsync"/> waits for a matching event, and every
/// event read is kept in <see cref="Seen"/> in arrival order.
/// </summary>
internal sealed class ContainerEventStream : IAsyncDisposable
{
    private readonly AsyncServerStreamingCall<ContainerEventResponse> _call;
    private readonly Channel<ContainerEventResponse> _received = Channel.CreateUnbounded<ContainerEventResponse>();
    private readonly Task _reader;
    private readonly List<ContainerEventResponse> _seen = [];

    private ContainerEventStream(AsyncServerStreamingCall<ContainerEventResponse> call)
    {
        _call = call;
        _reader = Task.Run(ReadAsync);
    }

    public IReadOnlyList<ContainerEventResponse> Seen
    {
        get
        {
            lock (_seen)
                return [.. _seen];
        }
    }

    /// <summary>How the stream ended, once it has: null when it ended normally.</summary>
    public Task<Exception?> Ended => _reader.ContinueWith(t => (Exception?)t.Exception?.InnerException, TaskScheduler.Default);

    /// <summary>Subscribes and returns once the daemon has (its response headers say so).</summary>
    public static async Task<ContainerEventStream> OpenAsync(RuntimeService.RuntimeServiceClient runtime)
    {
        var call = runtime.GetContainerEvents(new GetEventsRequest());
        await call.ResponseHeadersAsync;
        return new ContainerEventStream(call);
    }

    /// <summary>The next event for <paramref name="containerId"/> of the given type; fails after <paramref name="seconds"/>.</summary>
    public async Task<ContainerEventResponse> NextAsync(string containerId, ContainerEventType type, int seconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var next = await _received.Reader.ReadAsync(timeout.Token);
                if (next.ContainerId == containerId && next.ContainerEventType == type)
                    return next;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {type} for {containerId} within {seconds} s; saw: " +
                string.Join(", ", Seen.Select(e => $"{e.ContainerEventType} {e.ContainerId[..12]}")));
        }
    }

    /// <summary>The events seen so far for <paramref name="containerId"/>, by type.</summary>
    public IReadOnlyList<ContainerEventType> TypesSeenFor(string containerId) =>
        [.. Seen.Where(e => e.ContainerId == containerId).Select(e => e.ContainerEventType)];

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var change in _call.ResponseStream.ReadAllAsync())
            {
                lock (_seen)
                    _seen.Add(change);
                await _received.Writer.WriteAsync(change);
            }
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        await Ended;
    }
}
