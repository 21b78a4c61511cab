using Caisson.Api.Cri;
using Caisson.Runtime.Containers;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<ContainerStatusResponse> ContainerStatus(ContainerStatusRequest request, ServerCallContext context)
    {
        var record = await _containers.RefreshAsync(_containers.Get(request.ContainerId), context.CancellationToken).ConfigureAwait(false);
        var response = new ContainerStatusResponse { Status = ContainerStatusOf(record) };
        if (request.Verbose)
            response.Info["info"] = $$"""{"bundle":"{{record.Bundle}}","sandboxId":"{{record.SandboxId}}","runtimeHandler":"{{record.RuntimeHandler}}"}""";
        return response;
    }

    /// <summary>The record as a CRI status (also the snapshot a container event carries).</summary>
    internal static Api.Cri.ContainerStatus ContainerStatusOf(ContainerRecord record)
    {
        var config = ContainerConfig.Parser.ParseFrom(record.Config);
        var status = new Api.Cri.ContainerStatus
        {
            Id = record.Id,
            Metadata = config.Metadata,
            State = ToCri(record.State),
            CreatedAt = record.CreatedAtNanoseconds,
            StartedAt = record.StartedAtNanoseconds,
            FinishedAt = record.FinishedAtNanoseconds,
            ExitCode = record.ExitCode,
            Image = new ImageSpec { Image = record.Image },
            ImageRef = record.ImageId,
            ImageId = record.ImageId,
            Reason = record.Reason,
            LogPath = record.LogPath,
        };
        status.Labels.Add(config.Labels);
        status.Annotations.Add(config.Annotations);
        status.Mounts.AddRange(config.Mounts);
        return status;
    }

    internal static Api.Cri.ContainerState ToCri(Caisson.Runtime.Containers.ContainerState state) => state switch
    {
        Caisson.Runtime.Containers.ContainerState.Created => Api.Cri.ContainerState.ContainerCreated,
        Caisson.Runtime.Containers.ContainerState.Running => Api.Cri.ContainerState.ContainerRunning,
        Caisson.Runtime.Containers.ContainerState.Exited => Api.Cri.ContainerState.ContainerExited,
        _ => Api.Cri.ContainerState.ContainerUnknown,
    };
}
