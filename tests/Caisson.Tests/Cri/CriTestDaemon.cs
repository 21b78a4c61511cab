using Caisson.Api.Cri;
using Caisson.Testing.Daemon;
using Caisson.Testing.Images;
using Caisson.Testing.Processes;
using Caisson.Testing.Registry;
using Caisson.Tests.Runtime.Network;

namespace Caisson.Tests.Cri;

/// <summary>
/// A real caissond for CRI runtime tests: the busybox test image pushed to a real registry and pulled, the published
/// caisson-shim, pods on a CNI network of the test's own. Disposing removes every pod (unless the test stopped the
/// daemon itself), then the daemon, the registry and the network.
/// </summary>
internal sealed class CriTestDaemon : IAsyncDisposable
{
    private CriTestDaemon(CniTestNetwork network, RegistryFixture registry, DaemonFixture daemon, string image)
    {
        Network = network;
        Registry = registry;
        Daemon = daemon;
        Image = image;
    }

    public CniTestNetwork Network { get; }

    public RegistryFixture Registry { get; }

    public DaemonFixture Daemon { get; }

    /// <summary>The pulled busybox image's reference.</summary>
    public string Image { get; }

    public RuntimeService.RuntimeServiceClient Runtime => Daemon.Runtime;

    /// <summary>Set when the test stopped the daemon itself: there are no pods left to remove through it.</summary>
    public bool DaemonStopped { get; set; }

    /// <param name="repository">Where the busybox image goes in the test registry (e.g. "events/busybox:v1").</param>
    /// <param name="runtimeToml">Extra keys of the daemon's [runtime] section (e.g. handlers).</param>
    public static async Task<CriTestDaemon> StartAsync(string repository, string runtimeToml = "")
    {
        var network = new CniTestNetwork();
        var registry = await RegistryFixture.StartAsync();
        DaemonFixture? daemon = null;
        try
        {
            var image = await registry.PushAsync(TestImages.Busybox(), repository);
            var shim = await PublishedExecutable.ShimAsync();
            daemon = await DaemonFixture.StartAsync(
                $"[runtime]\nshim_path = \"{shim}\"\n{runtimeToml}[cni]\nconf_dir = \"{network.ConfDirectory}\"\n" + DaemonConfig.For(registry));
            await daemon.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = image } });
            return new CriTestDaemon(network, registry, daemon, image);
        }
        catch
        {
            if (daemon is not null)
                await daemon.DisposeAsync();
            await registry.DisposeAsync();
            network.Dispose();
            throw;
        }
    }

    /// <summary>Runs a pod named <paramref name="name"/> (uid "uid-NAME", label app=NAME), after <paramref name="configure"/> has had its say.</summary>
    public async Task<(string Id, PodSandboxConfig Config)> RunPodAsync(string name, Action<PodSandboxConfig>? configure = null)
    {
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = "caisson-test", Uid = $"uid-{name}" },
            Hostname = name,
            Labels = { ["app"] = name },
        };
        configure?.Invoke(config);
        return ((await Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config })).PodSandboxId, config);
    }

    /// <summary>Creates a busybox container running <paramref name="command"/> in the pod; returns its id.</summary>
    public async Task<string> CreateContainerAsync(string sandbox, PodSandboxConfig sandboxConfig, string name, params string[] command) =>
        (await Runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox,
            SandboxConfig = sandboxConfig,
            Config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = name },
                Image = new ImageSpec { Image = Image },
                Command = { command },
            },
        })).ContainerId;

    /// <summary>Whatever a failed test left, the daemon, registry and network still go: a pod left behind would keep its shims and pins on the host.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!DaemonStopped)
            {
                foreach (var sandbox in (await Runtime.ListPodSandboxAsync(new ListPodSandboxRequest())).Items)
                    await Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox.Id });
            }
        }
        finally
        {
            await Daemon.DisposeAsync();
            await Registry.DisposeAsync();
            Network.Dispose();
        }
    }
}
