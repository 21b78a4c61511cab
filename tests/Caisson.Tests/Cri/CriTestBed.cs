using Caisson.Api.Cri;
using Caisson.Runtime.Shim;

namespace Caisson.Tests.Cri;

/// <summary>
/// A class fixture: a real caissond (handlers runc and crun configured) with busybox pulled from a real
/// registry, its own CNI bridge and the published shim, plus the steps container tests repeat: run a pod,
/// create a container in it, wait for its exit.
/// </summary>
public sealed class CriTestBed() : CriDaemonClassFixture("testbed/busybox:v1", "[runtime.handlers.runc]\npath = \"/usr/sbin/runc\"\n[runtime.handlers.crun]\npath = \"/usr/bin/crun\"\n")
{
    public async Task<(string Sandbox, PodSandboxConfig Config)> RunPodAsync(string name, string runtimeHandler = "")
    {
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = "caisson-test", Uid = $"uid-{name}" },
            Hostname = name,
            LogDirectory = Path.Combine(Daemon.Directory, "pod-logs", name),
        };
        var id = (await Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config, RuntimeHandler = runtimeHandler })).PodSandboxId;
        return (id, config);
    }

    /// <summary>A busybox container config logging to NAME.log in the pod's log directory.</summary>
    public ContainerConfig Container(string name, params string[] command) => new()
    {
        Metadata = new ContainerMetadata { Name = name },
        Image = new ImageSpec { Image = Image },
        Command = { command },
        LogPath = $"{name}.log",
    };

    public async Task<string> CreateAsync(string sandbox, PodSandboxConfig sandboxConfig, ContainerConfig config) =>
        (await Runtime.CreateContainerAsync(new CreateContainerRequest { PodSandboxId = sandbox, SandboxConfig = sandboxConfig, Config = config })).ContainerId;

    public async Task<string> RunAsync(string sandbox, PodSandboxConfig sandboxConfig, ContainerConfig config)
    {
        var id = await CreateAsync(sandbox, sandboxConfig, config);
        await Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        return id;
    }

    public async Task<ContainerStatusResponse> StatusAsync(string id, bool verbose = false) =>
        await Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id, Verbose = verbose });

    public async Task<ContainerStatus> WaitForExitAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = (await StatusAsync(id)).Status;
            if (status.State == ContainerState.ContainerExited || DateTime.UtcNow > deadline)
                return status;
            await Task.Delay(50);
        }
    }

    /// <summary>The shim's state directory of a container (as ContainerManager names it).</summary>
    public ShimStateDirectory ShimState(string id) => new(Path.Combine(Daemon.State, "shims", id[..32]));
}
