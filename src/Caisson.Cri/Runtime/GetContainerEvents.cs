using System.Threading.Channels;
using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Caisson.Runtime.Events;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    /// <summary>
    /// Streams container and sandbox lifecycle events (the kubelet's evented PLEG) until the client goes away or the
    /// daemon stops. A subscriber that falls too far behind gets ResourceExhausted and should relist and subscribe again.
    /// </summary>
    public override async Task GetContainerEvents(GetEventsRequest request, IServerStreamWriter<ContainerEventResponse> responseStream, ServerCallContext context)
    {
        using var subscription = _containers.Events.Subscribe();

        // Headers go out once subscribed, so a client that awaits them knows no later event will be missed.
        await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
        try
        {
            await foreach (var change in subscription.Reader.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
                await responseStream.WriteAsync(EventResponseOf(change), context.CancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e) when (e.InnerException is CaissonException overflow)
        {
            throw overflow;
        }
    }

    internal ContainerEventResponse EventResponseOf(ContainerEvent change)
    {
        var response = new ContainerEventResponse
        {
            ContainerId = change.ContainerId,
            ContainerEventType = change.Kind switch
            {
                ContainerEventKind.Created => ContainerEventType.ContainerCreatedEvent,
                ContainerEventKind.Started => ContainerEventType.ContainerStartedEvent,
                ContainerEventKind.Stopped => ContainerEventType.ContainerStoppedEvent,
                _ => ContainerEventType.ContainerDeletedEvent,
            },
            CreatedAt = change.CreatedAtNanoseconds,
            PodSandboxStatus = change.Sandbox is { } sandbox ? SandboxStatusOf(sandbox) : null,
        };
        response.ContainersStatuses.AddRange(change.Containers.Select(c => ContainerStatusOf(c)));
        return response;
    }
}
