using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Runtime.Sandboxes;
using Grpc.Core;

namespace Caisson.Cri.Runtime;

public sealed partial class CriRuntimeService
{
    public override Task<PodSandboxStatusResponse> PodSandboxStatus(PodSandboxStatusRequest request, ServerCallContext context)
    {
        var record = _sandboxes.Get(request.PodSandboxId);
        var response = new PodSandboxStatusResponse { Status = SandboxStatusOf(record) };
        if (request.Verbose)
        {
            response.Info["info"] = JsonSerializer.Serialize(new Dictionary<string, string?>
            {
                ["id"] = record.Id,
                ["state"] = record.State.ToString(),
                ["netns"] = record.NetworkNamespacePath,
                ["ipcns"] = record.IpcNamespacePath,
                ["utsns"] = record.UtsNamespacePath,
                ["pidns"] = record.PidNamespacePath,
                ["shm"] = record.ShmPath,
                ["directory"] = record.Directory,
                ["runtimeHandler"] = record.RuntimeHandler,
            }, CriJsonContext.Default.DictionaryStringString);
        }

        return Task.FromResult(response);
    }

    /// <summary>The record as a CRI status (also the snapshot a container event carries).</summary>
    internal static Api.Cri.PodSandboxStatus SandboxStatusOf(SandboxRecord record)
    {
        var config = SandboxManager.ConfigOf(record);
        var status = new Api.Cri.PodSandboxStatus
        {
            Id = record.Id,
            Metadata = config.Metadata,
            State = ToCri(record.State),
            CreatedAt = record.CreatedAtNanoseconds,
            Network = new PodSandboxNetworkStatus { Ip = record.Ips.FirstOrDefault() ?? "" },
            Linux = new LinuxPodSandboxStatus
            {
                Namespaces = new Namespace { Options = config.Linux?.SecurityContext?.NamespaceOptions ?? new NamespaceOption() },
            },
            RuntimeHandler = record.RuntimeHandler,
        };
        status.Network.AdditionalIps.AddRange(record.Ips.Skip(1).Select(ip => new PodIP { Ip = ip }));
        status.Labels.Add(config.Labels);
        status.Annotations.Add(config.Annotations);
        return status;
    }

    internal static PodSandboxState ToCri(SandboxState state) =>
        state == SandboxState.Ready ? PodSandboxState.SandboxReady : PodSandboxState.SandboxNotready;
}
