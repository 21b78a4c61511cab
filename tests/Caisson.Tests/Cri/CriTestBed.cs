using Caisson.Api.Cri;
using Caisson.Runtime.Shim;
using Caisson.Testing.Daemon;
using Caisson.Testing.Images;
using Caisson.Testing.Registry;
using Caisson.Tests.Runtime.Network;
using Caisson.Tests.Shim;

namespace Caisson.Tests.Cri;

/// <summary>
/// A real caissond with busybox pulled from a real registry, its own CNI bridge and the published shim, plus
/// the steps container tests repeat: run a pod, create a container in it, wait for its exit.
/// </summary>
internal sealed class CriTestBed : IAsyncDisposable
{
    private readonly CniTestNetwork _net;
    private readonly RegistryFixture _registry;

    private CriTestBed(CniTestNetwork net, RegistryFixture registry, DaemonFixture daemon, string image)
    {
        _net = net;
        _registry = registry;
        Daemon = daemon;
        Image = image;
    }

    public DaemonFixture Daemon { get; }

    /// <summary>The busybox image as pulled (a tag in the test registry).</summary>
    public string Image { get; }

    public RuntimeService.RuntimeServiceClient Runtime => Daemon.Runtime;

    public static async Task<CriTestBed> StartAsync(string repository, string extraToml = "")
    {
        var net = new CniTestNetwork();
        RegistryFixture? registry = null;
        try
        {
            registry = await RegistryFixture.StartAsync();
            var image = await registry.PushAsync(TestImages.Busybox(), $"{repository}/busybox:v1");
            var shim = await PublishedShim.GetPathAsync();
            var daemon = await DaemonFixture.StartAsync(
                $"[runtime]\nshim_path = \"{shim}\"\n{extraToml}\n[cni]\nconf_dir = \"{net.ConfDirectory}\"\n" + DaemonConfig.For(registry));
            await daemon.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = image } });
            return new CriTestBed(net, registry, daemon, image);
        }
        catch
        {
            if (registry is not null)
                await registry.DisposeAsync();
            net.Dispose();
            throw;
        }
    }

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

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var sandbox in (await Runtime.ListPodSandboxAsync(new ListPodSandboxRequest())).Items)
                await Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox.Id });
        }
        finally
        {
            await Daemon.DisposeAsync();
            await _registry.DisposeAsync();
            _net.Dispose();
        }
    }
}
