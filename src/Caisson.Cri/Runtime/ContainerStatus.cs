using Caisson.Api.Cri;
using Caisson.Runtime.Containers;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<ContainerStatusResponse> ContainerStatus(ContainerStatusRequest request, ServerCallContext context)
    {
        var record = await _containers.RefreshAsync(_containers.Get(request.ContainerId), context.CancellationToken).ConfigureAwait(false);
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
        // The kubelet finds the termination message file among the mounts, by its container path.
        if (record.TerminationMessage is { } termination)
            status.Mounts.Add(new Mount { ContainerPath = termination.ContainerPath, HostPath = termination.HostPath });
        var response = new ContainerStatusResponse { Status = status };
        if (request.Verbose)
            response.Info["info"] = $$"""{"bundle":"{{record.Bundle}}","sandboxId":"{{record.SandboxId}}","runtimeHandler":"{{record.RuntimeHandler}}"}""";
        return response;
    }

    internal static Api.Cri.ContainerState ToCri(Caisson.Runtime.Containers.ContainerState state) => state switch
    {
        Caisson.Runtime.Containers.ContainerState.Created => Api.Cri.ContainerState.ContainerCreated,
        Caisson.Runtime.Containers.ContainerState.Running => Api.Cri.ContainerState.ContainerRunning,
        Caisson.Runtime.Containers.ContainerState.Exited => Api.Cri.ContainerState.ContainerExited,
        _ => Api.Cri.ContainerState.ContainerUnknown,
    };
}
