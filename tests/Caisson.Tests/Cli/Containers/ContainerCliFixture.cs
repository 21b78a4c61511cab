using Caisson.Api.Cri;
using Caisson.Testing.Daemon;
using Caisson.Testing.Images;
using Caisson.Testing.Processes;
using Caisson.Testing.Registry;
using Caisson.Tests.Runtime.Network;

namespace Caisson.Tests.Cli.Containers;

/// <summary>
/// One real caissond (with caisson-shim, runc and a CNI network of its own) and a registry holding busybox, shared
/// by the container command tests; the CLI runs in-process against it with the real clock.
/// </summary>
public sealed class ContainerCliFixture : IAsyncLifetime
{
    internal CniTestNetwork Network { get; } = new();

    internal RegistryFixture Registry { get; private set; } = null!;

    internal DaemonFixture Daemon { get; private set; } = null!;

    /// <summary>busybox, already in the daemon's store.</summary>
    internal string Image { get; private set; } = "";

    /// <summary>busybox under a name the daemon has not pulled: the first run that uses it pulls it.</summary>
    internal string UnpulledImage { get; private set; } = "";

    internal CliHarness Cli => new() { SocketPath = Daemon.SocketPath, Time = TimeProvider.System };

    public async Task InitializeAsync()
    {
        Registry = await RegistryFixture.StartAsync();
        var busybox = TestImages.Busybox();
        Image = await Registry.PushAsync(busybox, "cli/busybox:v1");
        UnpulledImage = await Registry.PushAsync(busybox, "cli/busybox:unpulled");
        var shim = await PublishedExecutable.ShimAsync();
        Daemon = await DaemonFixture.StartAsync(
            $"[runtime]\nshim_path = \"{shim}\"\n[cni]\nconf_dir = \"{Network.ConfDirectory}\"\n" + DaemonConfig.For(Registry));
        await Daemon.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = Image } });
    }

    public async Task DisposeAsync()
    {
        foreach (var sandbox in (await Daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest())).Items)
            await Daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox.Id });
        await Daemon.DisposeAsync();
        await Registry.DisposeAsync();
        Network.Dispose();
    }
}
