using Caisson.Api.Cri;
using Caisson.Runtime.Containers;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override async Task<ContainerStatusResponse> ContainerStatus(ContainerStatusRequest request, ServerCallContext context)
    {
        var record = await _containers.RefreshAsync(_containers.Get(request.ContainerId), context.CancellationToken).ConfigureAwait(false);
        // A record from before the user was kept has it only in config.json.
        var details = _containers.Inspect(record, withSpec: request.Verbose || record.User is null);
        var config = ContainerConfig.Parser.ParseFrom(record.Config);
        var response = new ContainerStatusResponse { Status = ContainerStatusOf(record, config, details) };
        if (request.Verbose)
            response.Info["info"] = ContainerStatusInfo.Build(record, config, details);
        return response;
    }

    /// <summary>The record as a CRI status (also the snapshot a container event carries).</summary>
    internal Api.Cri.ContainerStatus ContainerStatusOf(ContainerRecord record) =>
        ContainerStatusOf(record, ContainerConfig.Parser.ParseFrom(record.Config), _containers.Inspect(record, withSpec: record.User is null));

    private static Api.Cri.ContainerStatus ContainerStatusOf(ContainerRecord record, ContainerConfig config, ContainerDetails details)
    {
        // As containerd: the image by its first tag and the ref by its first repo digest, when the image still has them.
        var status = new Api.Cri.ContainerStatus
        {
            Id = record.Id,
            Metadata = config.Metadata,
            State = ToCri(record.State),
            CreatedAt = record.CreatedAtNanoseconds,
            StartedAt = record.StartedAtNanoseconds,
            FinishedAt = record.FinishedAtNanoseconds,
            ExitCode = record.ExitCode,
            Image = new ImageSpec { Image = details.RepoTags.FirstOrDefault() ?? record.Image, UserSpecifiedImage = config.Image?.UserSpecifiedImage ?? "" },
            ImageRef = details.RepoDigests.FirstOrDefault() ?? record.ImageId,
            ImageId = record.ImageId,
            Reason = record.Reason,
            LogPath = record.LogPath,
            StopSignal = config.StopSignal,
        };
        if (config.Image is { } requested)
            status.Image.Annotations.Add(requested.Annotations);
        status.Labels.Add(config.Labels);
        status.Annotations.Add(config.Annotations);
        status.Mounts.AddRange(config.Mounts);
        // The kubelet finds the termination message file among the mounts, by its container path.
        if (record.TerminationMessage is { } termination)
            status.Mounts.Add(new Mount { ContainerPath = termination.ContainerPath, HostPath = termination.HostPath });
        if (config.Linux?.Resources is { } resources)
            status.Resources = new ContainerResources { Linux = resources };
        if ((record.User ?? ContainerStatusInfo.UserInSpec(details.RuntimeSpec)) is { } user)
            status.User = UserOf(user);
        return status;
    }

    private static ContainerUser UserOf(Caisson.Runtime.Oci.ResolvedUser user)
    {
        var linux = new LinuxContainerUser { Uid = user.Uid, Gid = user.Gid };
        linux.SupplementalGroups.AddRange(user.AdditionalGids.Select(g => (long)g));
        return new ContainerUser { Linux = linux };
    }

    internal static Api.Cri.ContainerState ToCri(Caisson.Runtime.Containers.ContainerState state) => state switch
    {
        Caisson.Runtime.Containers.ContainerState.Created => Api.Cri.ContainerState.ContainerCreated,
        Caisson.Runtime.Containers.ContainerState.Running => Api.Cri.ContainerState.ContainerRunning,
        Caisson.Runtime.Containers.ContainerState.Exited => Api.Cri.ContainerState.ContainerExited,
        _ => Api.Cri.ContainerState.ContainerUnknown,
    };
}
