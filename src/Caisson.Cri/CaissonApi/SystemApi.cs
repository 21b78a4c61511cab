using System.Runtime.InteropServices;
using Caisson.Api.V1;
using Caisson.Core.Configuration;
using Caisson.Core.Time;
using Caisson.Cri.Runtime;
using Caisson.Images.Store;
using Grpc.Core;

namespace Caisson.Cri.CaissonApi;

/// <summary>caisson.v1 System: daemon facts for `caisson info`, and the event stream.</summary>
public sealed class SystemApi(ImageService images, CaissonConfig config) : Api.V1.System.SystemBase
{
    public override Task<InfoResponse> Info(InfoRequest request, ServerCallContext context) =>
        Task.FromResult(new InfoResponse
        {
            Version = CriRuntimeService.RuntimeVersion,
            Root = config.Root,
            State = config.State,
            Socket = config.SocketPath,
            Snapshotter = images.Snapshotter.Name,
            Images = images.List().Count,
            ContentBytes = images.Content.List().Sum(b => b.Size),
            CgroupVersion = File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "2" : "1 (hybrid)",
            DefaultRuntime = config.Runtime.DefaultRuntime,
            Kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription,
        });

    public override async Task Events(EventsRequest request, IServerStreamWriter<Event> responseStream, ServerCallContext context)
    {
        using var subscription = images.Events.Subscribe();

        // Headers go out once the subscription exists, so a client that waits for them misses nothing after.
        await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
        await foreach (var e in subscription.ReadAllAsync(context.CancellationToken).ConfigureAwait(false))
        {
            var message = new Event
            {
                TimestampUnixNano = UnixTime.Nanoseconds(e.Time),
                Type = e.Type,
                Subject = e.Subject,
            };
            foreach (var (key, value) in e.Attributes)
                message.Attributes[key] = value;
            await responseStream.WriteAsync(message, context.CancellationToken).ConfigureAwait(false);
        }
    }
}
